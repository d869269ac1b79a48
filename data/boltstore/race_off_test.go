//go:build !race

package boltstore_test

const raceDetector = false
