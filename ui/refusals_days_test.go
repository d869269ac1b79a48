package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// TestRefusals_L1_DaysInTheUsersLanguage: the attendance, study-day and
// calendar refusals reach the window whole in its language, dates written
// the way the screens write them and times as on the list.
func TestRefusals_L1_DaysInTheUsersLanguage(t *testing.T) {
	test.NewTempApp(t)
	now := time.Date(2026, time.March, 10, 15, 30, 0, 0, time.Local)
	late := data.NewClock(17, 0)
	wednesday := data.NewDate(2026, time.March, 4)
	refusals := []struct {
		err    error
		nl, en string
	}{
		{data.NotLaterThanNow(now, data.DateOf(now), &late),
			"17:00 is later dan nu (15:30); een tijd wordt vastgelegd als het gebeurd is.",
			"17:00 is later than now (15:30); a time is recorded when it has happened."},
		{data.EditableDay(data.DateOf(now), wednesday, nil, false),
			"De lijst van woensdag 4 maart 2026 is vergrendeld. Ontgrendel hem om iets te wijzigen.",
			"The list of Wednesday 4 March 2026 is locked. Unlock it to make changes."},
		{data.CheckStudyDay(data.StudyDay{SchoolID: 1, Name: "Studiedag", Date: wednesday}, data.StudyDayFacts{SchoolKnown: true, Closed: &data.ClosingDay{Name: "Teamdag"}}),
			"De locatie is gesloten op woensdag 4 maart 2026 (Teamdag).",
			"The location is closed on Wednesday 4 March 2026 (Teamdag)."},
	}
	for _, language := range []string{LanguageDutch, LanguageEnglish} {
		if err := UseLanguage(language); err != nil {
			t.Fatal(err)
		}
		for _, r := range refusals {
			want := r.nl
			if language == LanguageEnglish {
				want = r.en
			}
			if got := userMessage(r.err); got != want {
				t.Errorf("%s: %q, want %q", language, got, want)
			}
		}
	}
}
