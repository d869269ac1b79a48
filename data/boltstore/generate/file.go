package generate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
)

// File returns a data file in dir holding the organisation of o, generating
// it only when it is not there yet: the generator is deterministic, so a
// file made once (named by Version, the schema and the options) serves
// every later run.
// The file is written beside its final name and renamed when complete.
func File(ctx context.Context, dir string, o Options, progress func(day, days int)) (string, error) {
	if err := o.Validate(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-schema%d-loc%d-children%d-years%d-seed%d-%s.db",
		Version, boltstore.SchemaVersion, o.Locations, o.ChildrenPerLocation, o.Years, o.Seed, o.Today))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	now := o.Today.Time(data.NewClock(9, 30), time.UTC)
	db, err := boltstore.Open(tmp, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		return "", err
	}
	if err := Generate(ctx, db, o, progress); err != nil {
		db.Close()
		os.Remove(tmp)
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
