//go:build race

package boltstore_test

// raceDetector is set in a build with the race detector, which makes the
// corruption sweep several times slower.
const raceDetector = true
