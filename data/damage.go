package data

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
)

// ErrDamaged marks a data file whose pages or records can no longer be read.
var ErrDamaged = errors.New("the data file is damaged")

// ErrNoFile is returned by OpenExisting for a data file that is not there.
var ErrNoFile = errors.New("no data file")

// DamagedError names a damaged data file and the way back: restoring the
// newest backup.
type DamagedError struct {
	Path string
	// Detail is what was found damaged, in bbolt's or the decoder's words.
	Detail string
	// Backup is the newest automatic backup beside the data file, "" when there is none.
	Backup string
	// BackupDir is the folder of automatic backups that was searched.
	BackupDir string
}

func (e *DamagedError) Error() string {
	if e.Backup == "" {
		return fmt.Sprintf("the data file %s is damaged (%s) and %s holds no automatic backup; close Locatiedesk and restore a backup you keep elsewhere: %s",
			e.Path, e.Detail, e.BackupDir, e.RestoreCommand())
	}
	return fmt.Sprintf("the data file %s is damaged (%s); close Locatiedesk and restore the newest backup: %s",
		e.Path, e.Detail, e.RestoreCommand())
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

// RestoreCommand is the command that puts the newest backup in place.
func (e *DamagedError) RestoreCommand() string {
	backup := e.Backup
	if backup == "" {
		backup = "BACKUP-FILE"
	}
	return "locatiedesk restore --db " + shellQuote(e.Path) + " " + shellQuote(backup)
}

// Damaged describes the data file at path as damaged by cause, naming its newest backup.
func Damaged(path string, cause error) *DamagedError {
	var d *DamagedError
	if errors.As(cause, &d) {
		return d
	}
	detail := strings.TrimPrefix(cause.Error(), ErrDamaged.Error()+": ")
	var fd *fileDamage
	if errors.As(cause, &fd) {
		detail = fd.detail.Error()
	}
	return &DamagedError{Path: path, Detail: detail, Backup: NewestBackup(path), BackupDir: BackupDir(path)}
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

// shellQuote quotes a path for a command line when it holds more than
// letters, digits and the usual path characters.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-:\\+", r))
	}) < 0 {
		return s
	}
	if runtime.GOOS == "windows" {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
				err = fmt.Errorf("%w: %v", ErrDamaged, p)
				return
			}
			log.Printf("locatiedesk: %v\n%s", p, debug.Stack()) // for the bug report
			err = fmt.Errorf("%w: %v", ErrUnexpected, p)
		}
	}()
	return fn()
}

// ErrUnexpected is a failure in the program itself while it read the data
// file; `locatiedesk check` tells whether the file is damaged.
var ErrUnexpected = errors.New("unexpected error reading the data file (run locatiedesk check --db PATH to see whether it is damaged)")

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
