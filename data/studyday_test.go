package data_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestStudyDayGoesAhead_S1_Minimum(t *testing.T) {
	tests := []struct {
		signUps, minimum int
		want             bool
	}{
		{0, 3, false},
		{2, 3, false},
		{3, 3, true},
		{7, 3, true},
		{4, 5, false},
		{0, 0, true},
	}
	for _, tt := range tests {
		if got := data.StudyDayGoesAhead(tt.signUps, tt.minimum); got != tt.want {
			t.Errorf("StudyDayGoesAhead(%d, %d) = %v, want %v", tt.signUps, tt.minimum, got, tt.want)
		}
	}
}

func TestStudyDayStateOf_S2(t *testing.T) {
	for _, tt := range []struct {
		signUps, minimum int
		decision         data.StudyDayOutcome
		want             data.StudyDayState
		billed           bool
	}{
		{3, 3, "", data.StateEnoughSignUps, true},
		{0, 0, "", data.StateEnoughSignUps, true},
		{2, 3, "", data.StateBelowMinimum, false},
		{0, 3, "", data.StateBelowMinimum, false},
		{2, 3, data.OutcomeGoesAhead, data.StateGoesAhead, true},
		{4, 3, data.OutcomeGoesAhead, data.StateEnoughSignUps, true},
		{2, 3, data.OutcomeCancelled, data.StateCancelled, false},
		{5, 3, data.OutcomeCancelled, data.StateCancelled, false},
	} {
		got := data.StudyDayStateOf(tt.signUps, tt.minimum, tt.decision)
		if got != tt.want || got.Billed() != tt.billed {
			t.Errorf("%d of %d, decided %q: %q (billed %v), want %q (billed %v)", tt.signUps, tt.minimum, tt.decision, got, got.Billed(), tt.want, tt.billed)
		}
	}
}

func TestSignUpsOpen_S2_ACancellationIsFinal(t *testing.T) {
	d := data.NewDate(2026, time.March, 4)
	sd := data.StudyDay{SchoolID: 1, Date: d, Decisions: []data.StudyDayDecision{
		{LocationID: 1, Outcome: data.OutcomeCancelled}, {LocationID: 2, Outcome: data.OutcomeGoesAhead}}}
	refusedWith(t, data.SignUpsOpen(sd, 1), data.RefuseStudyDayTakesNoSignUps)
	refusedWith(t, data.SignUpsOpen(sd, 2), "")
	refusedWith(t, data.SignUpsOpen(sd, 3), "")
}

func TestCheckSignUpChild_S1(t *testing.T) {
	d := data.NewDate(2026, time.March, 4)
	child := data.Child{FirstName: "Ayşe", LastName: "Yılmaz"}
	tests := []struct {
		name  string
		place data.SignUpPlace
		want  string
	}{
		{"a school-weeks BSO child of the location", data.SignUpPlace{LocationID: 1, BSO: true}, ""},
		{"another location's child", data.SignUpPlace{LocationID: 2, BSO: true}, data.RefuseStudyDayOtherLocation},
		{"no BSO contract that day", data.SignUpPlace{LocationID: 1}, data.RefuseStudyDayNoBSO},
		{"a 52-weeks child comes anyway", data.SignUpPlace{LocationID: 1, BSO: true, FiftyTwoWeeks: true}, data.RefuseStudyDayFiftyTwoWeeks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refusedWith(t, data.CheckSignUpChild(child, 1, tt.place, d), tt.want)
		})
	}
	if err := data.CheckSignUpChild(child, 1, data.SignUpPlace{LocationID: 1}, d); err.Error() != "Ayşe Yılmaz has no BSO contract on 2026-03-04." {
		t.Errorf("sentence %q", err)
	}
}

func TestCheckSignUpTimes_S1_WithinTheHolidayHours(t *testing.T) {
	child := data.Child{FirstName: "Cas", LastName: "de Vries"}
	open := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 30)}
	tr := func(h1, m1, h2, m2 int) data.TimeRange {
		return data.TimeRange{From: data.NewClock(h1, m1), Until: data.NewClock(h2, m2)}
	}
	tests := []struct {
		name  string
		times data.TimeRange
		want  string
	}{
		{"the whole day, opening to closing", tr(7, 30, 18, 30), ""},
		{"a morning", tr(8, 30, 13, 0), ""},
		{"ends before it starts", tr(13, 0, 8, 30), data.RefuseStudyDayEndsBeforeStart},
		{"no time at all", tr(9, 0, 9, 0), data.RefuseStudyDayEndsBeforeStart},
		{"a minute before opening", tr(7, 29, 12, 0), data.RefuseStudyDayOutsideHours},
		{"a minute after closing", tr(12, 0, 18, 31), data.RefuseStudyDayOutsideHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refusedWith(t, data.CheckSignUpTimes(child, tt.times, open), tt.want)
		})
	}
	err := data.CheckSignUpTimes(child, tr(7, 0, 12, 0), open)
	if want := "The times of Cas de Vries (07:00–12:00) fall outside the opening hours 07:30–18:30."; err.Error() != want {
		t.Errorf("sentence %q, want %q", err, want)
	}
}

func TestNotExpectedOtherwise_S1_NotBilledTwice(t *testing.T) {
	d := data.NewDate(2026, time.March, 4)
	child := data.Child{FirstName: "Finn", LastName: "Bakker"}
	for _, tt := range []struct {
		source data.Source
		want   string
	}{
		{data.SourceContract, data.RefuseStudyDayContractExpected},
		{data.SourceRequest, data.RefuseStudyDayRequestExpected},
		{data.SourceStudyDay, ""}, // signed up before: the sheet changes it
		{"", ""},                  // a record without being expected
	} {
		refusedWith(t, data.NotExpectedOtherwise(child, tt.source, d), tt.want)
	}
}

func TestCheckStudyDayDecision_S2(t *testing.T) {
	today := data.NewDate(2026, time.March, 4)
	signUp := &data.SignUp{}
	sheet := func(d data.Date, signedUp, minimum int, decided data.StudyDayOutcome) data.StudyDaySheet {
		s := data.StudyDaySheet{StudyDay: data.StudyDay{Date: d}, Minimum: minimum}
		for range signedUp {
			s.Rows = append(s.Rows, data.StudyDayRow{SignUp: signUp})
		}
		s.Rows = append(s.Rows, data.StudyDayRow{}) // a child not signed up
		if decided != "" {
			s.Decision = &data.StudyDayDecision{Outcome: decided}
		}
		return s
	}
	tests := []struct {
		name    string
		sheet   data.StudyDaySheet
		outcome data.StudyDayOutcome
		want    string
	}{
		{"below: goes ahead", sheet(today, 2, 3, ""), data.OutcomeGoesAhead, ""},
		{"below: cancelled today", sheet(today, 2, 3, ""), data.OutcomeCancelled, ""},
		{"below: cancelled yesterday", sheet(today.AddDays(-1), 2, 3, ""), data.OutcomeCancelled, data.RefuseStudyDayPassed},
		{"below: goes ahead afterwards", sheet(today.AddDays(-1), 2, 3, ""), data.OutcomeGoesAhead, ""},
		{"exactly at the minimum", sheet(today, 3, 3, ""), data.OutcomeCancelled, data.RefuseStudyDayEnoughSignUps},
		{"went ahead: now cancelled", sheet(today, 2, 3, data.OutcomeGoesAhead), data.OutcomeCancelled, ""},
		{"went ahead: again", sheet(today, 2, 3, data.OutcomeGoesAhead), data.OutcomeGoesAhead, data.RefuseStudyDayGoesAheadAlready},
		{"cancelled is final", sheet(today, 2, 3, data.OutcomeCancelled), data.OutcomeGoesAhead, data.RefuseStudyDayCancelledAlready},
		{"an unknown decision", sheet(today, 2, 3, ""), "maybe", data.RefuseStudyDayOutcome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refusedWith(t, data.CheckStudyDayDecision(tt.sheet, tt.outcome, today), tt.want)
		})
	}
	err := data.CheckStudyDayDecision(sheet(today, 3, 3, ""), data.OutcomeCancelled, today)
	if want := "3 sign-ups reach the minimum of 3: care on 2026-03-04 goes ahead."; err.Error() != want {
		t.Errorf("sentence %q, want %q", err, want)
	}
}

func TestCancelledDecision_S2_TheNoticeIsOfACancellation(t *testing.T) {
	cancelled := data.StudyDayDecision{LocationID: 1, Outcome: data.OutcomeCancelled, By: "Ilse", Children: []data.ID{4, 7}}
	sd := data.StudyDay{Date: data.NewDate(2026, time.March, 4), Decisions: []data.StudyDayDecision{
		cancelled, {LocationID: 2, Outcome: data.OutcomeGoesAhead}}}
	got, err := data.CancelledDecision(sd, 1)
	if err != nil || got.By != "Ilse" || len(got.Children) != 2 {
		t.Errorf("location 1: %+v, %v", got, err)
	}
	for _, loc := range []data.ID{2, 3} {
		_, err := data.CancelledDecision(sd, loc)
		refusedWith(t, err, data.RefuseStudyDayNoNotice)
		if !errors.Is(err, data.ErrInvalid) {
			t.Errorf("location %d: %v is not ErrInvalid", loc, err)
		}
	}
}
