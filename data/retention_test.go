package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

func TestRetentionEnds_AVG(t *testing.T) {
	s := data.DefaultSettings()
	ended := func(y int, m time.Month, d int) data.Contract {
		return data.Contract{Start: data.NewDate(2020, time.January, 1), End: data.NewDate(y, m, d)}
	}
	tests := []struct {
		name      string
		contracts []data.Contract
		want      data.Date
		ok        bool
	}{
		{"no contract: nothing ended", nil, data.Date{}, false},
		{"open-ended contract: care goes on", []data.Contract{ended(2022, time.June, 30), {Start: data.NewDate(2022, time.July, 1)}}, data.Date{}, false},
		{"two years after the last end", []data.Contract{ended(2024, time.July, 31), ended(2022, time.June, 30)}, data.NewDate(2026, time.July, 31), true},
		{"a contract still to come counts", []data.Contract{ended(2024, time.July, 31), ended(2027, time.March, 1)}, data.NewDate(2029, time.March, 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := data.RetentionEnds(tt.contracts, s)
			if got != tt.want || ok != tt.ok {
				t.Errorf("RetentionEnds = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	s.RetentionMonths = 6
	if got, _ := data.RetentionEnds([]data.Contract{ended(2024, time.July, 31)}, s); got != data.NewDate(2025, time.January, 31) {
		t.Errorf("6 months after 31 July 2024: %s", got)
	}
}
