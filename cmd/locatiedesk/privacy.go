package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/pgstore"

	"fyne.io/fyne/v2"
	"golang.org/x/text/unicode/norm"

	"locatiedesk/data"
	"locatiedesk/reports"
)

const exportChildUsage = "usage: locatiedesk export child --db PATH --child NAME|ID -o FILE.json|FILE.pdf"

// runExportChild writes everything held about one child (AVG/GDPR), as JSON
// or PDF by the output file's extension.
func runExportChild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = exportChildUsage
	fs, at := newStoreFlags("export child")
	childText := fs.String("child", "", `the child's full name ("Zoë de Vries") or number (in the export, "Kindnummer")`)
	out := fs.String("o", "", "the file to write: .json or .pdf")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*childText) == "" {
		return fmt.Errorf("name the child with --child NAME or --child ID; %s", usage)
	}
	write, err := recordWriter(*out)
	if err != nil {
		return err
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := findChild(ctx, db, *childText)
	if err != nil {
		return err
	}
	rec, err := db.ChildRecord(ctx, id)
	if err != nil {
		return err
	}
	// The file is in place only when whole ("-": the JSON on standard output).
	var text io.Writer
	if *out == "-" {
		text, stdout = stdout, stderr
	}
	if err := reports.WriteFile(*out, text, func(w io.Writer) error { return write(w, rec) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "data of %s (%d attendance records, %d requests, %d consent answers) written to %s\n",
		rec.Child.Name(), len(rec.Attendance), len(rec.Requests), len(rec.Consent), *out)
	return nil
}

// findChild takes a child's number, or a full name that only one child has.
func findChild(ctx context.Context, db data.Store, text string) (data.ID, error) {
	if id, err := strconv.ParseUint(text, 10, 64); err == nil {
		return data.ID(id), nil
	}
	children, err := db.Children(ctx, 0)
	if err != nil {
		return 0, err
	}
	var ids []string
	var found data.ID
	for _, c := range children {
		if strings.EqualFold(comparableName(c.Name()), comparableName(text)) {
			found = c.ID
			ids = append(ids, strconv.FormatUint(uint64(c.ID), 10))
		}
	}
	switch len(ids) {
	case 0:
		return 0, fmt.Errorf("child %q: %w", text, data.ErrNotFound)
	case 1:
		return found, nil
	}
	return 0, fmt.Errorf("%d children are named %q; give the number instead: %s", len(ids), text, strings.Join(ids, ", "))
}

// comparableName is a name with its spaces evened out and its letters in
// one Unicode form: "Zoë" typed as o + combining diaeresis is the same child.
func comparableName(name string) string {
	return norm.NFC.String(strings.Join(strings.Fields(name), " "))
}

// recordWriter picks the writer of a child's record by the file's extension.
func recordWriter(path string) (func(io.Writer, data.ChildRecord) error, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return reports.ChildRecordJSON, nil
	case ".pdf":
		return reports.ChildRecordPDF, nil
	case "":
		if path == "-" {
			return reports.ChildRecordJSON, nil
		}
		if path == "" {
			return nil, errors.New("name the file to write with -o FILE.json or -o FILE.pdf")
		}
	}
	return nil, fmt.Errorf("%s: write a .json or a .pdf file", path)
}

// runPurge removes the personal data whose retention period has ended and
// compacts the file (the app must be closed), or, with --store, vacuums the
// organisation's database (its hubs may go on serving).
func runPurge(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("purge")
	store := storeFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *store != "" {
		if flagGiven(fs, "db") {
			return errors.New("give either --db (a location's data file) or --store (the organisation's database), not both")
		}
		db, err := pgstore.Open(ctx, *store)
		if err != nil {
			return err
		}
		defer db.Close()
		res, err := db.Purge(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s", pgstore.Redact(*store), purgedText(res))
		if res.Compacted {
			fmt.Fprint(stdout, "; the changed tables are vacuumed")
		}
		fmt.Fprintln(stdout)
		return nil
	}
	if *dbPath == "" {
		return errors.New("no data file: give one with --db PATH")
	}
	res, err := boltstore.Purge(ctx, *dbPath)
	if errors.Is(err, data.ErrInUse) {
		return fmt.Errorf("%w; close Locatiedesk first", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s", *dbPath, purgedText(res))
	if res.Compacted {
		fmt.Fprint(stdout, "; the file is compacted, so nothing of them is left in it")
	}
	fmt.Fprintln(stdout)
	return nil
}

// purgedText says how many children a purge removed the data of.
func purgedText(res data.PurgeResult) string {
	children := "children"
	if len(res.Children) == 1 {
		children = "child"
	}
	return fmt.Sprintf("personal data removed after the retention period: %d %s", len(res.Children), children)
}

// purgeDatabase runs the retention purge when a hub on the organisation's
// database starts. Hubs starting at once each run it; one removes the data
// and the others find nothing left. A failure is reported and the hub
// serves on; the next start tries again.
func purgeDatabase(ctx context.Context, db *pgstore.DB, stdout io.Writer) {
	res, err := db.Purge(ctx)
	if err != nil {
		fmt.Fprintln(stdout, "remove personal data after the retention period:", err)
		return
	}
	if len(res.Children) > 0 {
		fmt.Fprintln(stdout, purgedText(res))
	}
}

// purgeAtStart runs the retention purge before the window opens the file:
// compaction needs the file to itself. A failure is logged and the day's
// work goes on; the next start tries again.
func purgeAtStart(ctx context.Context, path string) {
	if path == "" {
		return
	}
	if _, err := os.Stat(path); err != nil {
		return // a new file: nothing to remove
	}
	if _, err := boltstore.Purge(ctx, path); err != nil && !errors.Is(err, data.ErrInUse) {
		fyne.LogError("remove personal data after the retention period", err)
	}
}
