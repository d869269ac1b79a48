// Command v10 upgrades schema-9.db with the build of schema 10, pairs a
// tablet and leaves a pairing code open in it (the data schema 10 added),
// and compacts it.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

func main() {
	from, to := os.Args[1], os.Args[2]
	raw, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to+".uncompacted", raw, 0o600)
	}
	if err == nil {
		var db *boltstore.DB
		db, err = boltstore.Open(to+".uncompacted", boltstore.WithClock(func() time.Time { return time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC) }))
		if err == nil {
			err = pairTablet(db)
			if closeErr := db.Close(); err == nil {
				err = closeErr
			}
		}
	}
	if err == nil {
		err = compact(to+".uncompacted", to)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func compact(from, to string) error {
	src, err := bolt.Open(from, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := bolt.Open(to, 0o600, nil)
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, src, 0); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Remove(from)
}

// pairTablet pairs the Rupsjes tablet and makes a code for another one,
// still open at the upgrade tests' clock.
func pairTablet(db *boltstore.DB) error {
	ctx := context.Background()
	code, err := db.CreatePairingCode(ctx, "Rupsjes tablet")
	if err != nil {
		return err
	}
	if _, err := db.PairDevice(ctx, code.ID, "", data.HashCredential("geheim")); err != nil {
		return err
	}
	_, err = db.CreatePairingCode(ctx, "Vlinders tablet")
	return err
}
