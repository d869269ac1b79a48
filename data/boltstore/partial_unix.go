//go:build unix

package boltstore

import (
	"os"
	"syscall"
)

// lockPartial marks a temporary file as being written: the writer holds a
// lock on it until it closes the file, or dies. A shared lock, so that
// verifying the file (bbolt opens it read-only with a shared lock) can
// read it meanwhile.
func lockPartial(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) }

// removeIfAbandoned removes a temporary file whose writer is gone: nobody holds its lock.
func removeIfAbandoned(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		os.Remove(path)
	}
}
