package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// runPrint writes a printable PDF; it needs no display, so a planner can
// script it.
func runPrint(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "studyday" {
		return errors.New("say what to print: print studyday --school NAME --date YYYY-MM-DD -o FILE.pdf")
	}
	fs, dbPath := newFlags("print studyday")
	schoolName := fs.String("school", "", "the school's name")
	dateText := fs.String("date", "", "the study day, YYYY-MM-DD")
	out := fs.String("o", "", "the PDF file to write")
	locationName := fs.String("location", "", "the location (needed when the data file has several)")
	if err := fs.Parse(args[1:]); err != nil {
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
	// The file is in place only when whole; the print is logged once it is.
	pdf, err := reports.CreateOutput(*out, nil)
	if err != nil {
		return err
	}
	if err := reports.SignUpSheetPDF(pdf.Writer(), sheet, db.Now()); err != nil {
		pdf.Abort()
		return err
	}
	if err := pdf.Commit(); err != nil {
		return err
	}
	if err := db.LogPrint("sign-up sheet written to " + pdf.Path()); err != nil {
		pdf.Remove() // nothing printed goes unlogged
		return err
	}
	fmt.Fprintf(stdout, "sign-up sheet of %s, %s at %s: %d children, written to %s\n", school.Name, day, location.Name, len(sheet.Rows), pdf.Path())
	return nil
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
