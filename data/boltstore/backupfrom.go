package boltstore

import (
	"context"
	"os"

	"locatiedesk/data"
)

// BackupFrom writes a backup of any store (the hub's, through the network)
// to path as BackupTo does: whole, synced and verified, or not at all.
func BackupFrom(ctx context.Context, s data.Store, path string) error {
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := s.WriteBackup(ctx, f)
		return err
	})
}
