package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"locatiedesk/data"
	"locatiedesk/reports"
)

const printUsage = "say what to print: print studyday --school NAME --date YYYY-MM-DD -o FILE.pdf, " +
	"or print present [--location NAME] [--group NAME] -o FILE.pdf"

// runPrint writes a printable PDF; it needs no display, so a planner can
// script it.
func runPrint(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(printUsage)
	}
	switch args[0] {
	case "studyday":
		return runPrintStudyDay(args[1:], stdout)
	case "present":
		return runPrintPresent(args[1:], stdout)
	}
	return errors.New(printUsage)
}

func runPrintStudyDay(args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("print studyday")
	schoolName := fs.String("school", "", "the school's name")
	dateText := fs.String("date", "", "the study day, YYYY-MM-DD")
	out := fs.String("o", "", "the PDF file to write")
	locationName := fs.String("location", "", "the location (needed when the data file has several)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *schoolName == "":
		return errors.New("name the school with --school")
	case *dateText == "":
		return errors.New("give the study day with --date YYYY-MM-DD")
	case *out == "":
		return errors.New("name the PDF file with -o FILE.pdf")
	}
	day, err := data.ParseDate(*dateText)
	if err != nil {
		return err
	}
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	school, err := db.SchoolByName(*schoolName)
	if err != nil {
		return err
	}
	location, err := pickLocation(db, *locationName)
	if err != nil {
		return err
	}
	sheet, err := db.StudyDaySheet(location.ID, school.ID, day)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("%s has no study day on %s", school.Name, day)
	}
	if err != nil {
		return err
	}
	// The whole PDF is made before the file is touched, so a failure leaves no half file.
	var buf bytes.Buffer
	if err := reports.SignUpSheetPDF(&buf, sheet, db.Now()); err != nil {
		return err
	}
	if err := db.LogPrint("sign-up sheet written to " + *out); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sign-up sheet of %s, %s at %s: %d children, written to %s\n", school.Name, day, location.Name, len(sheet.Rows), *out)
	return nil
}

// runPrintPresent writes the list of who is here right now (every group of
// the location, or one), by the data file's clock.
func runPrintPresent(args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("print present")
	locationName := fs.String("location", "", "the location (needed when the data file has several)")
	groupName := fs.String("group", "", "one group only (as Location/Group when several locations use the name)")
	out := fs.String("o", "", "the PDF file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("name the PDF file with -o FILE.pdf")
	}
	db, err := openStore(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	var locationID, groupID data.ID
	if *groupName != "" {
		g, err := db.GroupByName(*groupName)
		if err != nil {
			return err
		}
		groupID = g.ID
	} else {
		location, err := pickLocation(db, *locationName)
		if err != nil {
			return err
		}
		locationID = location.ID
	}
	list, err := db.PresentNow(locationID, groupID)
	if err != nil {
		return err
	}
	err = writeWhole(*out, func(w io.Writer) error {
		if err := reports.PresentPDF(w, list); err != nil {
			return err
		}
		return db.LogPrint(fmt.Sprintf("who-is-here list of %s as of %s written to %s by %s",
			list.Location.Name, list.AsOf.Format("15:04:05"), *out, currentUser()))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "who is here at %s, %s: %d children here, %d not here yet, written to %s\n",
		list.Location.Name, list.AsOf.Format("2006-01-02 15:04:05"), list.Total(), list.TotalNotHere(), *out)
	return nil
}

// writeWhole writes a file beside its place and renames it when whole, so
// a failure (of write, or of anything write does last) leaves no half file.
func writeWhole(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".locatiedesk-print-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

// pickLocation finds the named location, or the only one when name is empty.
func pickLocation(db *data.DB, name string) (data.Location, error) {
	locations, err := db.Locations()
	if err != nil {
		return data.Location{}, err
	}
	if name == "" {
		if len(locations) != 1 {
			return data.Location{}, fmt.Errorf("the data file has %d locations; name one with --location", len(locations))
		}
		return locations[0], nil
	}
	for _, l := range locations {
		if strings.EqualFold(strings.TrimSpace(l.Name), strings.TrimSpace(name)) {
			return l, nil
		}
	}
	return data.Location{}, fmt.Errorf("location %q: %w", name, data.ErrNotFound)
}
