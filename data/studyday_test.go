package data_test

import (
	"testing"

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
