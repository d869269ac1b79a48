package boltstore

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"locatiedesk/data"
)

// Damaged describes the data file at path as damaged by cause, naming its newest backup.
func Damaged(path string, cause error) *data.DamagedError {
	var d *data.DamagedError
	if errors.As(cause, &d) {
		return d
	}
	detail := strings.TrimPrefix(cause.Error(), data.ErrDamaged.Error()+": ")
	var fd *fileDamage
	if errors.As(cause, &fd) {
		detail = fd.detail.Error()
	}
	return &data.DamagedError{Path: path, Detail: detail, Backup: NewestBackup(path), BackupDir: BackupDir(path)}
}

// NewestBackup is the most recently written automatic backup of the data
// file at dataPath, or "" when there is none.
func NewestBackup(dataPath string) string {
	dir := BackupDir(dataPath)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	var newest string
	var newestTime time.Time
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, backupPrefix) || !strings.HasSuffix(name, ".db") || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if newest == "" || info.ModTime().After(newestTime) {
			newest, newestTime = filepath.Join(dir, name), info.ModTime()
		}
	}
	return newest
}

// guardPages runs fn, which reads bbolt pages, and turns a panic into an
// error. A panic that a damaged page causes (bbolt's assertions, an index
// out of range in bbolt or in reading a stored number, a read outside the
// memory map) is ErrDamaged; any other is ErrUnexpected: never a crash
// that takes the window, and the day's unsaved work, with it.
func guardPages(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if _, fault := p.(interface{ Addr() uintptr }); fault || panickedInStorage() {
				err = fmt.Errorf("%w: %v", data.ErrDamaged, p)
				return
			}
			log.Printf("locatiedesk: %v\n%s", p, debug.Stack()) // for the bug report
			err = fmt.Errorf("%w: %v", data.ErrUnexpected, p)
		}
	}()
	return fn()
}

// panickedInStorage reports whether the panic being recovered started in
// bbolt or in decoding a stored number: the first frame outside the runtime.
// It must be called from the deferred function that recovers.
func panickedInStorage() bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return strings.HasPrefix(f.Function, "go.etcd.io/bbolt") || strings.HasPrefix(f.Function, "encoding/binary.")
		}
		if !more {
			return false
		}
	}
}
