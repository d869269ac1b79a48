package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// runPrint writes a printable PDF; it needs no display, so a planner can
// script it.
func runPrint(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "studyday-notice" {
		return runPrintNotice(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "present" {
		return runPrintPresent(ctx, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "studyday" {
		return errors.New("say what to print: print studyday|studyday-notice --school NAME --date YYYY-MM-DD -o FILE.pdf, " +
			"or print present [--location NAME] [--group NAME] -o FILE.pdf")
	}
	db, a, err := openStudyDay(ctx, "print studyday", args[1:])
	if err != nil {
		return err
	}
	defer db.Close()
	sheet, err := db.StudyDaySheet(ctx, a.location.ID, a.school.ID, a.day)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("%s has no study day on %s", a.school.Name, a.day)
	}
	if err != nil {
		return err
	}
	path, err := writePrint(ctx, db, a.out, "sign-up sheet", func(w io.Writer) error {
		return reports.SignUpSheetPDF(w, sheet, db.Now())
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sign-up sheet of %s, %s at %s: %d children, written to %s\n", a.school.Name, a.day, a.location.Name, len(sheet.Rows), path)
	return nil
}

// writePrint writes a PDF whole (or not at all) and logs the print once the
// file is in place; a print that cannot be logged is removed again, so
// nothing printed goes unlogged.
func writePrint(ctx context.Context, db data.Store, out, what string, write func(io.Writer) error) (string, error) {
	pdf, err := reports.CreateOutput(out, nil)
	if err != nil {
		return "", err
	}
	if err := write(pdf.Writer()); err != nil {
		pdf.Abort()
		return "", err
	}
	if err := pdf.Commit(); err != nil {
		return "", err
	}
	if err := db.LogPrint(ctx, what+" written to "+pdf.Path()); err != nil {
		pdf.Remove()
		return "", err
	}
	return pdf.Path(), nil
}

// studyDayArgs are what a print command of a study day is given.
type studyDayArgs struct {
	school   data.School
	location data.Location
	day      data.Date
	out      string
}

// openStudyDay reads the flags of a print command of a study day and opens
// the data file; the caller closes it.
func openStudyDay(ctx context.Context, command string, args []string) (data.Store, studyDayArgs, error) {
	var a studyDayArgs
	fs, at := newStoreFlags(command)
	schoolName := fs.String("school", "", "the school's name")
	dateText := fs.String("date", "", "the study day, YYYY-MM-DD")
	out := fs.String("o", "", "the PDF file to write")
	locationName := fs.String("location", "", "the location (needed when the data file has several)")
	if err := fs.Parse(args); err != nil {
		return nil, a, err
	}
	switch {
	case *schoolName == "":
		return nil, a, errors.New("name the school with --school")
	case *dateText == "":
		return nil, a, errors.New("give the study day with --date YYYY-MM-DD")
	case *out == "":
		return nil, a, errors.New("name the PDF file with -o FILE.pdf")
	}
	a.out = *out
	var err error
	if a.day, err = data.ParseDate(*dateText); err != nil {
		return nil, a, err
	}
	db, err := at.open(ctx)
	if err != nil {
		return nil, a, err
	}
	if a.school, err = db.SchoolByName(ctx, *schoolName); err == nil {
		a.location, err = pickLocation(ctx, db, *locationName)
	}
	if err != nil {
		db.Close()
		return nil, a, err
	}
	return db, a, nil
}

// runPrintNotice writes the parents' notice of a cancelled study day (S2).
func runPrintNotice(ctx context.Context, args []string, stdout io.Writer) error {
	db, a, err := openStudyDay(ctx, "print studyday-notice", args)
	if err != nil {
		return err
	}
	defer db.Close()
	notice, err := db.StudyDayNotice(ctx, a.location.ID, a.school.ID, a.day)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Errorf("%s has no study day on %s", a.school.Name, a.day)
	}
	if err != nil {
		return err
	}
	path, err := writePrint(ctx, db, a.out, "study-day notice", func(w io.Writer) error {
		return reports.StudyDayNoticePDF(w, notice, db.Now())
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "notice that care on the study day of %s, %s at %s is cancelled: %d children, written to %s\n",
		a.school.Name, a.day, a.location.Name, len(notice.Children), path)
	return nil
}

// runPrintPresent writes the list of who is here right now (every group of
// the location, or one), by the data file's clock.
func runPrintPresent(ctx context.Context, args []string, stdout io.Writer) error {
	fs, at := newStoreFlags("print present")
	locationName := fs.String("location", "", "the location (needed when the data file has several)")
	groupName := fs.String("group", "", "one group only (as Location/Group when several locations use the name)")
	out := fs.String("o", "", "the PDF file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("name the PDF file with -o FILE.pdf")
	}
	db, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	var locationID, groupID data.ID
	if *groupName != "" {
		g, err := db.GroupByName(ctx, *groupName)
		if err != nil {
			return err
		}
		groupID = g.ID
	} else {
		location, err := pickLocation(ctx, db, *locationName)
		if err != nil {
			return err
		}
		locationID = location.ID
	}
	list, err := db.PresentNow(ctx, locationID, groupID)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("who-is-here list of %s as of %s, printed by %s,", list.Location.Name, list.AsOf.Format("15:04:05"), currentUser())
	path, err := writePrint(ctx, db, *out, what, func(w io.Writer) error { return reports.PresentPDF(w, list) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "who is here at %s, %s: %d children here, %d not here yet, written to %s\n",
		list.Location.Name, list.AsOf.Format("2006-01-02 15:04:05"), list.Total(), list.TotalNotHere(), path)
	return nil
}

// pickLocation finds the named location, or the only one when name is empty.
func pickLocation(ctx context.Context, db data.Store, name string) (data.Location, error) {
	locations, err := db.Locations(ctx)
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
