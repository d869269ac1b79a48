package boltstore

import (
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// TestMatchContracts_M1_M2 is the rule of re-imports without a store: what
// a child's lines do to its stored contracts.
func TestMatchContracts_M1_M2(t *testing.T) {
	mon := []data.ContractDay{{Weekday: time.Monday, Times: data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}}}
	monTue := append(slices.Clone(mon), data.ContractDay{Weekday: time.Tuesday, Times: mon[0].Times})
	sep, apr, jul := data.NewDate(2025, time.September, 1), data.NewDate(2026, time.April, 1), data.NewDate(2026, time.July, 31)
	stored := data.Contract{ID: 7, ChildID: 3, GroupID: 1, Product: data.ProductKDV, Days: mon, Start: sep}
	line := func(n int, change func(*data.Contract)) importedContract {
		c := stored
		c.ID = 0
		change(&c)
		return importedContract{line: n, c: c}
	}
	for _, tc := range []struct {
		name     string
		lines    []importedContract
		actions  []data.ImportAction
		problems []data.ImportProblem
	}{
		{"the same line", []importedContract{line(2, func(*data.Contract) {})}, nil, nil},
		{"an end date", []importedContract{line(2, func(c *data.Contract) { c.End = jul })}, []data.ImportAction{data.ImportEnd}, nil},
		{"other days from the start", []importedContract{line(2, func(c *data.Contract) { c.Days = monTue })}, []data.ImportAction{data.ImportChange}, nil},
		{"other days from April", []importedContract{line(2, func(c *data.Contract) { c.Days, c.Start = monTue, apr })}, []data.ImportAction{data.ImportVersion}, nil},
		{"old version ended and new version, both listed", []importedContract{
			line(3, func(c *data.Contract) { c.Days, c.Start = monTue, apr }),
			line(2, func(c *data.Contract) { c.End = apr.AddDays(-1) }),
		}, []data.ImportAction{data.ImportEnd, data.ImportCreate}, nil},
		{"Qflexibel beside it", []importedContract{line(2, func(*data.Contract) {}), line(3, func(c *data.Contract) { c.Product, c.Days, c.CreditHours = data.ProductQflexibel, nil, 40 })}, []data.ImportAction{data.ImportCreate}, nil},
		{"the same line twice", []importedContract{line(2, func(*data.Contract) {}), line(3, func(*data.Contract) {})}, []data.ImportAction{data.ImportCreate}, []data.ImportProblem{data.ProblemOverlap}},
		{"to another group from April", []importedContract{line(2, func(c *data.Contract) { c.GroupID, c.Start = 2, apr })}, []data.ImportAction{data.ImportVersion}, nil},
		{"the old contract unchanged and another on Mondays", []importedContract{line(2, func(*data.Contract) {}), line(3, func(c *data.Contract) { c.GroupID, c.Start = 2, apr })},
			[]data.ImportAction{data.ImportCreate}, []data.ImportProblem{data.ProblemOverlap}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plans, problems := matchContracts([]data.Contract{stored}, tc.lines)
			var actions []data.ImportAction
			for _, p := range plans {
				actions = append(actions, p.Action)
			}
			var kinds []data.ImportProblem
			for _, p := range problems {
				kinds = append(kinds, p.Problem)
			}
			if !slices.Equal(actions, tc.actions) || !slices.Equal(kinds, tc.problems) {
				t.Errorf("actions %v problems %v, want %v %v", actions, problems, tc.actions, tc.problems)
			}
			for _, p := range plans {
				if p.Action == data.ImportVersion && (p.New.Continues != stored.ID || p.Old.ID != stored.ID) {
					t.Errorf("a version of %d: %+v", stored.ID, p)
				}
			}
			if tc.name == "old version ended and new version, both listed" && plans[1].New.Continues != stored.ID {
				t.Errorf("the new contract after the ended one continues %d, want %d", plans[1].New.Continues, stored.ID)
			}
		})
	}
}
