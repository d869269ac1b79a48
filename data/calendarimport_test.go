package data_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// writeLog records what an import writes, in order.
type writeLog struct {
	writes []string
	exists map[data.Date]bool // study days entered by hand
	refuse error              // AddStudyDay's refusal
}

func (w *writeLog) PutHoliday(h data.SchoolHoliday) error {
	w.writes = append(w.writes, "holiday "+h.Name)
	return nil
}

func (w *writeLog) PutStudyDay(sd data.StudyDay) error {
	w.writes = append(w.writes, "rename "+sd.Date.String()+" "+sd.Name)
	return nil
}

func (w *writeLog) DeleteStudyDay(_ data.ID, d data.Date) error {
	w.writes = append(w.writes, "delete "+d.String())
	return nil
}

func (w *writeLog) AddStudyDay(sd data.StudyDay) (bool, error) {
	if w.refuse != nil {
		return false, w.refuse
	}
	if w.exists[sd.Date] {
		return false, nil
	}
	w.writes = append(w.writes, "add "+sd.Date.String()+" "+sd.Name)
	return true, nil
}

func TestImportCalendarFile(t *testing.T) {
	fri := data.NewDate(2027, time.January, 8)
	holiday := data.CalendarEvent{UID: "h", Name: "Kerstvakantie", From: fri.AddDays(-14), To: fri.AddDays(-5)}
	studyDay := data.CalendarEvent{UID: "s", Name: "Studiedagen", From: fri, To: fri.AddDays(3), StudyDay: true} // Fri..Mon
	f := data.CalendarFile{Events: []data.CalendarEvent{studyDay, holiday}, Skipped: 2}

	t.Run("new", func(t *testing.T) {
		w := &writeLog{}
		res, err := data.ImportCalendarFile(7, data.SchoolCalendar{}, f, w)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.CalendarImportResult{Added: 2, Skipped: 2}); res != want || !res.Changed() {
			t.Errorf("result %+v, want %+v", res, want)
		}
		want := []string{"holiday Kerstvakantie", "add " + fri.String() + " Studiedagen", "add " + fri.AddDays(3).String() + " Studiedagen"}
		if !slices.Equal(w.writes, want) {
			t.Errorf("writes %q, want %q (holidays first, no weekend)", w.writes, want)
		}
	})
	cal := data.SchoolCalendar{
		Holidays:  []data.SchoolHoliday{{ID: 3, SchoolID: 7, Name: holiday.Name, From: holiday.From, To: holiday.To, UID: "h"}},
		StudyDays: []data.StudyDay{{SchoolID: 7, Date: fri, Name: studyDay.Name, UID: "s"}, {SchoolID: 7, Date: fri.AddDays(3), Name: studyDay.Name, UID: "s"}},
	}
	t.Run("again", func(t *testing.T) {
		w := &writeLog{}
		res, err := data.ImportCalendarFile(7, cal, f, w)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.CalendarImportResult{Unchanged: 2, Skipped: 2}); res != want || res.Changed() || len(w.writes) > 0 {
			t.Errorf("result %+v with writes %q, want %+v and none", res, w.writes, want)
		}
	})
	t.Run("corrected", func(t *testing.T) {
		moved := studyDay
		moved.Name, moved.To = "Studiedag", fri
		renamed := holiday
		renamed.Name = "Kerst"
		w := &writeLog{}
		res, err := data.ImportCalendarFile(7, cal, data.CalendarFile{Events: []data.CalendarEvent{moved, renamed}}, w)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.CalendarImportResult{Updated: 2}); res != want {
			t.Errorf("result %+v, want %+v", res, want)
		}
		want := []string{"holiday Kerst", "rename " + fri.String() + " Studiedag", "delete " + fri.AddDays(3).String()}
		if !slices.Equal(w.writes, want) {
			t.Errorf("writes %q, want %q", w.writes, want)
		}
	})
	t.Run("entered by hand", func(t *testing.T) {
		w := &writeLog{exists: map[data.Date]bool{fri: true, fri.AddDays(3): true}}
		res, err := data.ImportCalendarFile(7, data.SchoolCalendar{}, data.CalendarFile{Events: []data.CalendarEvent{studyDay}}, w)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.CalendarImportResult{Unchanged: 1}); res != want {
			t.Errorf("result %+v, want %+v", res, want)
		}
	})
	t.Run("refused", func(t *testing.T) {
		refusal := errors.New("closed")
		_, err := data.ImportCalendarFile(7, data.SchoolCalendar{}, f, &writeLog{refuse: refusal})
		if !errors.Is(err, refusal) {
			t.Errorf("err %v, want the refusal", err)
		}
		weekend := data.CalendarEvent{UID: "w", Name: "Weekend", From: fri.AddDays(1), To: fri.AddDays(2), StudyDay: true}
		_, err = data.ImportCalendarFile(7, data.SchoolCalendar{}, data.CalendarFile{Events: []data.CalendarEvent{weekend}}, &writeLog{})
		refusedWith(t, err, data.RefuseCalendarEventWeekend)
	})
}
