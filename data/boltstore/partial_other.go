//go:build !unix

package boltstore

import "os"

// lockPartial: Windows itself keeps a file that is open from being removed.
func lockPartial(*os.File) {}

// removeIfAbandoned removes a temporary file; one still being written is
// open, and Windows refuses to remove it.
func removeIfAbandoned(path string) { os.Remove(path) }
