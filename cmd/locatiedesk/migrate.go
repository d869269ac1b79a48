package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/snapshot"
)

// connectWithin bounds how long migrate waits for the database to answer:
// a mistyped host fails in seconds instead of at the system's TCP timeout.
const connectWithin = 20 * time.Second

// runMigrate moves a location's data file into the organisation's
// PostgreSQL database: all of it or nothing, checked table by table before
// it is kept. The file itself is only read.
func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "", "the location's data file, PATH.db")
	to := fs.String("to", "", "the organisation's PostgreSQL database, postgres://USER@HOST/DATABASE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected %q: migrate --from PATH.db --to postgres://USER@HOST/DATABASE", fs.Arg(0))
	}
	if *from == "" || *to == "" {
		return errors.New("name the data file and the database: migrate --from PATH.db --to postgres://USER@HOST/DATABASE")
	}
	file, err := readDataFile(ctx, *from)
	if err != nil {
		return err
	}
	if len(file.Locations) == 0 {
		return fmt.Errorf("%s holds no location: nothing to move", *from)
	}
	connecting, cancel := context.WithTimeout(ctx, connectWithin)
	db, err := pgstore.Open(connecting, *to)
	cancel()
	if err != nil {
		return oneLine{err}
	}
	defer db.Close()
	start := time.Now()
	rep, err := db.Load(ctx, file, filepath.Base(*from))
	if err != nil {
		return fmt.Errorf("nothing was moved into %s: %w", pgstore.Redact(*to), err)
	}
	names := make([]string, len(rep.Locations))
	for i, l := range rep.Locations {
		names[i] = fmt.Sprintf("%q", l.Name)
	}
	fmt.Fprintf(stdout, "moved %s from %s into %s in %s\n", strings.Join(names, ", "), *from, pgstore.Redact(*to), time.Since(start).Round(time.Millisecond))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tfrom the file\tmoved, read back\tin the database\tSHA-256 of the moved\t")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%x…\t\n", t.Name, t.FromFile, t.Moved, t.Rows, t.Sum[:8])
	}
	tw.Flush()
	fmt.Fprintln(stdout, "every table checked: the moved rows read back with the rows and checksum expected, the database's own rows unchanged")
	return nil
}

// readDataFile reads every record of the data file at path, after checking
// that nothing in it is damaged. A file the window or a hub has open is
// refused: what they write after the move would be lost.
func readDataFile(ctx context.Context, path string) (snap snapshot.Snapshot, err error) {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return snap, fmt.Errorf("%w at %s: check the path given with --from", data.ErrNoFile, path)
	}
	if err != nil {
		return snap, err
	}
	if !info.Mode().IsRegular() {
		return snap, fmt.Errorf("%s is not a data file: it is a folder or a device", path)
	}
	if err := boltstore.VerifyFile(path); err != nil {
		switch {
		case errors.Is(err, data.ErrInUse):
			return snap, fmt.Errorf("%w (%s): close the window or stop the hub on it first, so nothing is written after the move", data.ErrInUse, path)
		case errors.Is(err, data.ErrDamaged):
			return snap, boltstore.Damaged(path, err)
		}
		return snap, err
	}
	db, err := boltstore.OpenExisting(path)
	if err != nil {
		return snap, err
	}
	defer db.Close()
	return db.Snapshot(ctx)
}

// oneLine is an error said on one line: the driver lists each address it
// tried on a line of its own, the same cause again for each.
type oneLine struct{ err error }

func (e oneLine) Error() string {
	var said []string
	for _, part := range strings.Split(e.err.Error(), "\n") {
		if part = strings.TrimSpace(part); part != "" && !slices.Contains(said, part) {
			said = append(said, part)
		}
	}
	return strings.Join(said, " ")
}

func (e oneLine) Unwrap() error { return e.err }
