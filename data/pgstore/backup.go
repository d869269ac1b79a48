package pgstore

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/snapshot"
)

// WriteBackup writes the organisation's database to w as an ordinary
// Locatiedesk data file: every record read on one snapshot of the
// database, written into a new bbolt file the way a location's own file is
// (boltstore.CreateFromSnapshot), then copied. So a backup made through a
// hub on PostgreSQL opens in the window and restores like any other. Like a
// file's backup it holds every child and every account's hashes: it is for
// the system and a manager of every location.
func (db *DB) WriteBackup(ctx context.Context, w io.Writer) (int64, error) {
	var s snapshot.Snapshot
	err := db.view(ctx, func(tx pgx.Tx) error {
		if err := db.allowEverywhere(ctx, tx, data.ActAdmin); err != nil {
			return err
		}
		var err error
		s, err = readSnapshot(ctx, tx, everyRow)
		return err
	})
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "locatiedesk-backup-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "backup.db")
	if err := boltstore.CreateFromSnapshot(ctx, path, s); err != nil {
		return 0, fmt.Errorf("write the backup as a data file: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}
