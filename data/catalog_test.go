package data_test

import (
	"errors"
	"testing"

	"locatiedesk/data"
)

func TestSettingsValidate_R1_T1_Bounds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*data.Settings)
		setting string
	}{
		{"defaults", func(*data.Settings) {}, ""},
		{"28 → 4 is the published window", func(s *data.Settings) { s.ParentRequestFromDays, s.ParentRequestUntilDays = 28, 4 }, ""},
		{"4 → 28 runs upwards", func(s *data.Settings) { s.ParentRequestFromDays, s.ParentRequestUntilDays = 4, 28 }, "parentRequestFromDays"},
		{"an empty window", func(s *data.Settings) { s.ParentRequestFromDays, s.ParentRequestUntilDays = 4, 4 }, "parentRequestFromDays"},
		{"negative days", func(s *data.Settings) { s.ParentRequestUntilDays = -1 }, "parentRequestUntilDays"},
		{"negative notice", func(s *data.Settings) { s.AbsenceNoticeHours = -2 }, "absenceNoticeHours"},
		{"credit expiring at once", func(s *data.Settings) { s.CreditExpiryDays = 0 }, "creditExpiryDays"},
		{"a typing slip", func(s *data.Settings) { s.HolidayContractWeeks = 500 }, "holidayContractWeeks"},
		{"no backups", func(s *data.Settings) { s.BackupDays = 0 }, "backupDays"},
		{"holiday day backwards", func(s *data.Settings) {
			s.HolidayDay = data.TimeRange{From: data.NewClock(18, 0), Until: data.NewClock(8, 0)}
		}, "holidayDay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := data.DefaultSettings()
			tc.change(&s)
			err := s.Validate()
			var se *data.SettingError
			switch {
			case tc.setting == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.setting != "" && (!errors.As(err, &se) || se.Setting != tc.setting || !errors.Is(err, data.ErrInvalid)):
				t.Fatalf("Validate = %v, want a SettingError on %s", err, tc.setting)
			}
		})
	}
}
