package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// runExport writes everything held about one child (AVG/GDPR), as JSON or
// PDF by the output file's extension.
func runExport(args []string, stdout io.Writer) error {
	const usage = "usage: locatiedesk export child --db PATH --child ID -o FILE.json|FILE.pdf"
	if len(args) == 0 || args[0] != "child" {
		return errors.New(usage)
	}
	fs, dbPath := newFlags("export child")
	childText := fs.String("child", "", "the child's number (shown on the child's card and in the attendance export)")
	out := fs.String("o", "", "the file to write: .json or .pdf")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	id, err := strconv.ParseUint(*childText, 10, 64)
	if err != nil || id == 0 {
		return fmt.Errorf("give the child's number with --child ID; %s", usage)
	}
	write, err := recordWriter(*out)
	if err != nil {
		return err
	}
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rec, err := db.ChildRecord(data.ID(id))
	if err != nil {
		return err
	}
	// The whole file is made before it is touched, so a failure leaves no half file.
	var buf bytes.Buffer
	if err := write(&buf, rec); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "data of %s (%d attendance records, %d requests, %d consent answers) written to %s\n",
		rec.Child.Name(), len(rec.Attendance), len(rec.Requests), len(rec.Consent), *out)
	return nil
}

// recordWriter picks the writer of a child's record by the file's extension.
func recordWriter(path string) (func(io.Writer, data.ChildRecord) error, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return reports.ChildRecordJSON, nil
	case ".pdf":
		return reports.ChildRecordPDF, nil
	case "":
		if path == "" {
			return nil, errors.New("name the file to write with -o FILE.json or -o FILE.pdf")
		}
	}
	return nil, fmt.Errorf("%s: write a .json or a .pdf file", path)
}

// runPurge removes the personal data whose retention period has ended and
// compacts the file. The app must be closed.
func runPurge(args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("purge")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" {
		return errors.New("no data file: give one with --db PATH")
	}
	res, err := data.Purge(*dbPath)
	if errors.Is(err, data.ErrInUse) {
		return fmt.Errorf("%w; close Locatiedesk first", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: personal data removed after the retention period: %d child(ren)", *dbPath, len(res.Children))
	if res.Compacted {
		fmt.Fprint(stdout, "; the file is compacted, so nothing of them is left in it")
	}
	fmt.Fprintln(stdout)
	return nil
}

// purgeAtStart runs the retention purge before the window opens the file:
// compaction needs the file to itself. A failure is logged and the day's
// work goes on; the next start tries again.
func purgeAtStart(path string) {
	if path == "" {
		return
	}
	if _, err := os.Stat(path); err != nil {
		return // a new file: nothing to remove
	}
	if _, err := data.Purge(path); err != nil && !errors.Is(err, data.ErrInUse) {
		fyne.LogError("remove personal data after the retention period", err)
	}
}
