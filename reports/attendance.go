// Package reports writes what leaves the program: PDFs (gofpdf) and exports.
// Writers take domain values and an io.Writer; they never read the store.
package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"text/tabwriter"

	"locatiedesk/data"
)

var attendanceHeader = []string{"child", "expected", "source", "status", "absence", "check-in", "check-out", "note"}

func attendanceFields(r data.DayRow) []string {
	clock := func(c *data.Clock) string {
		if c == nil {
			return ""
		}
		return c.String()
	}
	expected := ""
	if r.Source != "" {
		expected = r.Expected.String()
	}
	a := r.Attendance
	return []string{r.Child.Name(), expected, string(r.Source), string(a.Status()), string(a.AbsenceReason), clock(a.CheckIn), clock(a.CheckOut), a.Note}
}

// AttendanceText writes a day's list as an aligned table for a terminal.
func AttendanceText(w io.Writer, l data.DayList) error {
	if l.Closed {
		_, err := fmt.Fprintf(w, "%s %s: closed (%s)\n", l.Group.Name, l.Date, l.ClosedReason)
		return err
	}
	c := l.Counts()
	fmt.Fprintf(w, "%s %s: expected %d, present %d, absent %d, still to come %d\n\n", l.Group.Name, l.Date, c.Expected, c.Present, c.Absent, c.ToCome)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	write := func(fields []string) {
		for i, f := range fields {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, f)
		}
		fmt.Fprintln(tw)
	}
	write(attendanceHeader)
	for _, r := range l.Rows {
		write(attendanceFields(r))
	}
	return tw.Flush()
}

// AttendanceCSV writes a day's list as CSV with a header line, for scripts.
func AttendanceCSV(w io.Writer, l data.DayList) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"date", "group"}, attendanceHeader...)); err != nil {
		return err
	}
	for _, r := range l.Rows {
		if err := cw.Write(append([]string{l.Date.String(), l.Group.Name}, attendanceFields(r)...)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
