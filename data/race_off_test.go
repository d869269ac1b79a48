//go:build !race

package data_test

const raceDetector = false
