package data

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
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

// ErrUnexpected is a failure in the program itself while it read the data
// file; `locatiedesk check` tells whether the file is damaged.
var ErrUnexpected = errors.New("unexpected error reading the data file (run locatiedesk check --db PATH to see whether it is damaged)")
