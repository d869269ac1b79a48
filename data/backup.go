package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrNotABackup is returned for a file that is damaged or not a Locatiedesk data file.
var ErrNotABackup = errors.New("not a usable Locatiedesk data file")

// backupPrefix starts the name of every automatic backup, so rotation only
// ever deletes files this program wrote.
const backupPrefix = "locatiedesk-"

// BackupDir is the folder of automatic backups: beside the data file.
func BackupDir(dataPath string) string { return filepath.Join(filepath.Dir(dataPath), "backups") }

// WriteBackup writes a consistent copy of the whole store to w while the app
// keeps running (a read transaction: writers are not blocked).
func (db *DB) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupTo writes a hot backup to path and verifies it by opening it and
// running bbolt's consistency check. The file appears under its name only
// once complete and synced, so a crash or a full disk never leaves a
// half-written backup that looks whole.
func (db *DB) BackupTo(path string) error {
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := db.WriteBackup(f)
		return err
	})
}

// writeFileAtomic writes via a temporary file in the same folder, syncs it,
// verifies it as a data file and renames it into place.
func writeFileAtomic(path string, write func(*os.File) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := VerifyFile(tmp.Name()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// VerifyFile opens a data file or backup read-only and checks that it is a
// Locatiedesk store this build can read and that bbolt finds no damage.
func VerifyFile(path string) (err error) {
	// bbolt reads the file through a memory map and trusts its page pointers:
	// a damaged page can make it panic or touch memory outside the map. Turn
	// both into an error for this goroutine instead of a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %s is damaged: %v", ErrNotABackup, path, p)
		}
	}()
	if err := checkFileLength(path); err != nil {
		return err
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotABackup, path, err)
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		// Reading every key here first means a damaged page faults in this
		// goroutine (recovered above), not in tx.Check's own goroutine.
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) }); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNotABackup, path, err)
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil || meta.Get(keyVersion) == nil {
			return fmt.Errorf("%w: %s has no Locatiedesk schema", ErrNotABackup, path)
		}
		if v := btoi(meta.Get(keyVersion)); v > SchemaVersion {
			return fmt.Errorf("%w: %s has schema %d, this build knows up to %d", ErrTooNew, path, v, SchemaVersion)
		}
		return checkTx(tx, path)
	})
}

// walk reads every byte of every key and value of b and its nested buckets,
// and checks that keys are in order: what tx.Check would stumble over in a
// goroutine of its own is found here first.
func walk(b *bolt.Bucket) error {
	var prev []byte
	var sum uint32
	err := b.ForEach(func(k, v []byte) error {
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			return fmt.Errorf("keys out of order at %x", k)
		}
		prev = k
		sum = crc32.Update(crc32.Update(sum, crc32.IEEETable, k), crc32.IEEETable, v)
		if v == nil {
			if child := b.Bucket(k); child != nil {
				return walk(child)
			}
		}
		return nil
	})
	_ = sum // computed only to touch every byte
	return err
}

// checkFileLength refuses a file shorter than its own header says it is (a
// copy cut off by a full disk, say), which bbolt would map and read past its end.
func checkFileLength(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	// A bbolt file starts with two meta pages: a 16-byte page header, then
	// magic, version, page size, flags, root bucket (16), freelist and the
	// high-water page id (uint64 at offset 56), in the machine's byte order.
	header := make([]byte, 64)
	if _, err := f.ReadAt(header, 0); err != nil {
		return fmt.Errorf("%w: %s is too short to be a data file", ErrNotABackup, path)
	}
	const magic = 0xED0CDAED
	if binary.NativeEndian.Uint32(header[16:]) != magic {
		return fmt.Errorf("%w: %s is not a data file", ErrNotABackup, path)
	}
	pageSize := int64(binary.NativeEndian.Uint32(header[24:]))
	highest := int64(binary.NativeEndian.Uint64(header[56:]))
	second := make([]byte, 64)
	if _, err := f.ReadAt(second, pageSize); err == nil && binary.NativeEndian.Uint32(second[16:]) == magic {
		highest = max(highest, int64(binary.NativeEndian.Uint64(second[56:])))
	}
	if info.Size() < highest*pageSize {
		return fmt.Errorf("%w: %s is cut off (%d of %d bytes)", ErrNotABackup, path, info.Size(), highest*pageSize)
	}
	return nil
}

func checkTx(tx *bolt.Tx, path string) error {
	var problems []string
	for err := range tx.Check() {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s is damaged: %s", ErrNotABackup, path, strings.Join(problems, "; "))
	}
	return nil
}

// DailyBackup makes today's automatic backup in dir unless it exists, then
// deletes the oldest automatic backups beyond keep, and every automatic
// backup older than the retention period (Settings.RetentionMonths): a
// backup must not keep personal data the store itself has removed. It
// returns the path of the backup made, or "" when today's was already there.
func (db *DB) DailyBackup(dir string, keep int) (string, error) {
	path := filepath.Join(dir, backupPrefix+db.Today().String()+".db")
	if _, err := os.Stat(path); err == nil {
		return "", nil
	}
	if err := db.BackupTo(path); err != nil {
		return "", err
	}
	settings, err := db.Settings()
	if err != nil {
		return path, err
	}
	return path, rotateBackups(dir, keep, db.Today().addMonths(-settings.RetentionMonths))
}

// rotateBackups keeps the newest keep daily backups (names sort by date) and
// deletes every automatic backup, the ones made before a schema upgrade
// too, dated before oldest.
func rotateBackups(dir string, keep int, oldest Date) error {
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
func backupDate(name string) (Date, bool) {
	stem := strings.TrimSuffix(strings.TrimPrefix(name, backupPrefix), ".db")
	if d, err := ParseDate(stem); err == nil {
		return d, true
	}
	if len(stem) < len("20060102-150405") {
		return Date{}, false
	}
	t, err := time.Parse("20060102-150405", stem[len(stem)-len("20060102-150405"):])
	return DateOf(t), err == nil
}

// Restore replaces the data file at dataPath with the backup at backupPath.
// It refuses a damaged or foreign backup and a data file another copy has
// open. The current file is kept beside it (".before-restore-<time>") until
// the restored copy is in place and verified.
func Restore(dataPath, backupPath string, now time.Time) (kept string, err error) {
	if err := VerifyFile(backupPath); err != nil {
		return "", err
	}
	if _, err := os.Stat(dataPath); err == nil {
		if err := ensureNotInUse(dataPath); err != nil {
			return "", err
		}
		kept = fmt.Sprintf("%s.before-restore-%s", dataPath, now.Format("20060102-150405"))
		if err := copyFile(dataPath, kept); err != nil {
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

// ensureNotInUse fails with ErrInUse while another copy of the program holds
// the file. A damaged file is not in use: restoring over it is the point.
func ensureNotInUse(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%w: %s", ErrInUse, path)
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
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
