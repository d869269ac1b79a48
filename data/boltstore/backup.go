package boltstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"

	berrors "go.etcd.io/bbolt/errors"
)

// backupPrefix starts the name of every automatic backup, so rotation only
// ever deletes files this program wrote.
const backupPrefix = "locatiedesk-"

// BackupDir is the folder of automatic backups: beside the data file.
func BackupDir(dataPath string) string { return filepath.Join(filepath.Dir(dataPath), "backups") }

// WriteBackup writes a consistent copy of the whole store to w while the app
// keeps running (a read transaction: writers are not blocked).
func (db *DB) WriteBackup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := db.view(ctx, func(tx *bolt.Tx) error {
		// A backup holds every child, every account's PIN hash and every
		// device's credential hash: it is for the system and a manager of
		// every location in the file.
		if err := db.allowEverywhere(tx, data.ActAdmin); err != nil {
			return err
		}
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupTo writes a hot backup to path and verifies it by reading every
// record back (VerifyFile). The file appears under its name only once
// complete and synced, so a crash or a full disk never leaves a
// half-written backup that looks whole. A copy that fails verification
// means the store's own file is damaged: that is the error then.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	err := writeFileAtomic(path, func(f *os.File) error {
		_, err := db.WriteBackup(ctx, f)
		return err
	})
	if errors.Is(err, data.ErrDamaged) {
		return Damaged(db.Path(), err)
	}
	return err
}

// partialPrefix starts the name of a file being written beside its place;
// a writer that was killed leaves it behind, and cleanPartials removes it.
const partialPrefix = ".locatiedesk-partial-"

// writeFileAtomic writes via a temporary file in the same folder, syncs it,
// verifies it as a data file and renames it into place. It refuses a
// target that is not a regular file: renaming over a device (/dev/null)
// would replace the device itself.
func writeFileAtomic(path string, write func(*os.File) error) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved // replace the file a link points at, not the link
	}
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return data.Refuse(data.RefuseBackupNotAFile, data.Args{"Path": path})
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), partialPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()
	lockPartial(tmp) // held until closed: cleanPartials leaves a live writer's file alone
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := VerifyFile(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// cleanPartials removes what killed backups, restores and compactions left
// in dir: temporary files no live writer holds.
func cleanPartials(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && (strings.HasPrefix(name, partialPrefix) || strings.HasPrefix(name, compactPrefix)) {
			removeIfAbandoned(filepath.Join(dir, name))
		}
	}
}

// syncDir makes a rename in dir survive a power cut; Windows has no such call.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// DailyBackup makes today's automatic backup in dir unless it exists, then
// deletes the oldest automatic backups beyond keep, and every automatic
// backup older than the retention period (Settings.RetentionMonths): a
// backup must not keep personal data the store itself has removed. It
// returns the path of the backup made, or "" when today's was already there.
func (db *DB) DailyBackup(ctx context.Context, dir string, keep int) (string, error) {
	path := filepath.Join(dir, backupPrefix+db.Today().String()+".db")
	if _, err := os.Stat(path); err == nil {
		return "", nil
	}
	if err := db.BackupTo(ctx, path); err != nil {
		return "", err
	}
	settings, err := db.Settings(ctx)
	if err != nil {
		return path, err
	}
	return path, rotateBackups(dir, keep, db.Today().AddMonths(-settings.RetentionMonths))
}

// rotateBackups keeps the newest keep daily backups (names sort by date) and
// deletes every automatic backup, the ones made before a schema upgrade
// too, dated before oldest.
func rotateBackups(dir string, keep int, oldest data.Date) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var daily []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, backupPrefix) || !strings.HasSuffix(name, ".db") {
			continue
		}
		if made, ok := backupDate(name); ok && made.Before(oldest) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
			continue
		}
		if !strings.Contains(name, "before") {
			daily = append(daily, name)
		}
	}
	slices.Sort(daily)
	for len(daily) > max(keep, 1) {
		if err := os.Remove(filepath.Join(dir, daily[0])); err != nil {
			return err
		}
		daily = daily[1:]
	}
	return nil
}

// backupDate reads the day an automatic backup was made from its name:
// "locatiedesk-YYYY-MM-DD.db" or "locatiedesk-before-…-YYYYMMDD-HHMMSS.db".
func backupDate(name string) (data.Date, bool) {
	stem := strings.TrimSuffix(strings.TrimPrefix(name, backupPrefix), ".db")
	if d, err := data.ParseDate(stem); err == nil {
		return d, true
	}
	if len(stem) < len("20060102-150405") {
		return data.Date{}, false
	}
	t, err := time.Parse("20060102-150405", stem[len(stem)-len("20060102-150405"):])
	return data.DateOf(t), err == nil
}

// Restore replaces the data file at dataPath with the backup at backupPath.
// It refuses a damaged or foreign backup, a data file another copy has
// open, and a place that is a folder or a device, or whose folder does not
// exist. The current file is kept beside it (".before-restore-<time>")
// until the restored copy is in place and verified.
func Restore(dataPath, backupPath string, now time.Time) (kept string, err error) {
	info, err := os.Stat(dataPath)
	switch {
	case err == nil && !info.Mode().IsRegular():
		return "", data.Refuse(data.RefuseBackupDataNotOne, data.Args{"Path": dataPath})
	case errors.Is(err, os.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(dataPath)); err != nil {
			return "", data.Refuse(data.RefuseBackupNoFolder, data.Args{"Path": dataPath})
		}
	case err != nil:
		return "", err
	}
	if err := VerifyFile(backupPath); err != nil {
		return "", err
	}
	if info != nil {
		if err := ensureNotInUse(dataPath); err != nil {
			return "", err
		}
		if kept, err = keepCopy(dataPath, now); err != nil {
			return "", err
		}
	}
	src, err := os.Open(backupPath)
	if err != nil {
		return kept, err
	}
	defer src.Close()
	err = writeFileAtomic(dataPath, func(f *os.File) error {
		_, err := io.Copy(f, src)
		return err
	})
	return kept, err
}

// keepCopy copies the data file beside it under a name no other copy has:
// ".before-restore-<time>", with "-2", "-3"… for restores within one second.
func keepCopy(dataPath string, now time.Time) (string, error) {
	base := fmt.Sprintf("%s.before-restore-%s", dataPath, now.Format("20060102-150405"))
	for n := 1; ; n++ {
		kept := base
		if n > 1 {
			kept = fmt.Sprintf("%s-%d", base, n)
		}
		err := copyFile(dataPath, kept)
		if !errors.Is(err, os.ErrExist) {
			return kept, err
		}
	}
}

// ensureNotInUse fails with ErrInUse while another copy of the program holds
// the file. A damaged file is not in use: restoring over it is the point.
func ensureNotInUse(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return data.Refuse(data.RefuseBackupInUse, data.Args{"Path": path})
	}
	if err == nil {
		b.Close()
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to) // no half copy left behind
	}
	return err
}
