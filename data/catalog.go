package data

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// SettingsChanges says which settings differ, "name before → after", by
// the names the file stores them under, in alphabetical order.
func SettingsChanges(old, s Settings) (string, error) {
	flat := func(v Settings) (map[string]string, error) {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		out := map[string]string{}
		for k, v := range fields {
			out[k] = strings.Trim(string(v), `"`)
		}
		return out, nil
	}
	before, err := flat(old)
	if err != nil {
		return "", err
	}
	after, err := flat(s)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if before[k] != after[k] {
			parts = append(parts, fmt.Sprintf("%s %s → %s", k, before[k], after[k]))
		}
	}
	if len(parts) == 0 {
		return "settings saved unchanged", nil
	}
	return "settings: " + strings.Join(parts, "; "), nil
}

// SettingError names a setting no rule can work with. Setting is the name
// the file stores it under (as in SettingLimits); screens translate it.
type SettingError struct {
	Setting string
	// Problem is ProblemRange (outside Min..Max), ProblemWindow (the parents'
	// window does not run downwards) or ProblemHours (hours end before they start).
	Problem  string
	Min, Max float64
}

// The problems a SettingError names.
const (
	ProblemRange  = "range"
	ProblemWindow = "window"
	ProblemHours  = "hours"
)

func (e *SettingError) Error() string {
	switch e.Problem {
	case ProblemWindow:
		return fmt.Sprintf("%s: the parents' request window must run from more days before the day to fewer (such as 28 down to 4)", ErrInvalid)
	case ProblemHours:
		return fmt.Sprintf("%s: %s: the hours end before they start", ErrInvalid, e.Setting)
	}
	return fmt.Sprintf("%s: %s must lie between %g and %g", ErrInvalid, e.Setting, e.Min, e.Max)
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *SettingError) Is(target error) bool { return target == ErrInvalid }

// SettingLimit is the range a number setting may take: no negative days,
// and no value so large it can only be a typing slip.
type SettingLimit struct {
	Setting  string
	Min, Max float64
	Value    func(Settings) float64
}

// SettingLimits are the bounds of every number in Settings, in the order
// the settings form shows them.
var SettingLimits = []SettingLimit{
	{"parentRequestFromDays", 1, 365, func(s Settings) float64 { return float64(s.ParentRequestFromDays) }},
	{"parentRequestUntilDays", 0, 60, func(s Settings) float64 { return float64(s.ParentRequestUntilDays) }},
	{"absenceNoticeHours", 0, 336, func(s Settings) float64 { return float64(s.AbsenceNoticeHours) }},
	{"maxCreditHours", 0, 1000, func(s Settings) float64 { return s.MaxCreditHours }},
	{"creditExpiryDays", 1, 730, func(s Settings) float64 { return float64(s.CreditExpiryDays) }},
	{"holidayContractWeeks", 0, 52, func(s Settings) float64 { return float64(s.HolidayContractWeeks) }},
	{"studyDayMinimum", 0, 100, func(s Settings) float64 { return float64(s.StudyDayMinimum) }},
	{"backupDays", 1, 365, func(s Settings) float64 { return float64(s.BackupDays) }},
	{"signInAttempts", 1, 20, func(s Settings) float64 { return float64(s.SignInAttempts) }},
	{"lockoutMinutes", 1, 1440, func(s Settings) float64 { return float64(s.LockoutMinutes) }},
	{"autoLockMinutes", 1, 480, func(s Settings) float64 { return float64(s.AutoLockMinutes) }},
	{"retentionMonths", 1, 120, func(s Settings) float64 { return float64(s.RetentionMonths) }},
}

// Validate refuses settings no rule can work with (a *SettingError): a
// number outside its SettingLimit, a parents' window that does not run
// downwards (28 → 4 is right, 4 → 28 is not), a holiday day that ends
// before it starts.
func (s Settings) Validate() error {
	for _, l := range SettingLimits {
		if v := l.Value(s); v < l.Min || v > l.Max {
			return &SettingError{Setting: l.Setting, Problem: ProblemRange, Min: l.Min, Max: l.Max}
		}
	}
	if s.ParentRequestFromDays <= s.ParentRequestUntilDays {
		return &SettingError{Setting: "parentRequestFromDays", Problem: ProblemWindow}
	}
	if s.HolidayDay.Until <= s.HolidayDay.From {
		return &SettingError{Setting: "holidayDay", Problem: ProblemHours}
	}
	return nil
}

// Validate checks a contract on its own; the store checks the references.
func (c Contract) Validate() error {
	known := false
	for _, p := range Products {
		known = known || p == c.Product
	}
	switch {
	case !known:
		return Refuse(RefuseContractProduct, Args{"Product": c.Product})
	case c.Start.IsZero():
		return Refuse(RefuseContractNoStart, nil)
	case !c.End.IsZero() && c.End.Before(c.Start):
		return Refuse(RefuseContractEndsEarly, Args{"Start": c.Start, "End": c.End})
	}
	for _, d := range c.Days {
		if d.Times.Until <= d.Times.From {
			return Refuse(RefuseContractTimes, Args{"Weekday": d.Weekday})
		}
	}
	return nil
}

// CareOf tells which care type a product belongs to.
func CareOf(p Product) CareType {
	if p == ProductKDV || p == ProductQflexibel {
		return KDV
	}
	return BSO
}
