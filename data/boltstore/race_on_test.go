//go:build race

package boltstore_test

// raceDetector is set in a build with the race detector, which makes the
// corruption sweep several times slower and turns a read through a damaged
// page into a fatal checkptr error rather than a panic.
const raceDetector = true
