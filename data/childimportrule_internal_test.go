package data

import (
	"slices"
	"testing"
	"time"
)

// TestMatchContracts_M1_M2 is the rule of re-imports without a store: what
// a child's lines do to its stored contracts.
func TestMatchContracts_M1_M2(t *testing.T) {
	mon := []ContractDay{{Weekday: time.Monday, Times: TimeRange{From: NewClock(7, 30), Until: NewClock(18, 0)}}}
	monTue := append(slices.Clone(mon), ContractDay{Weekday: time.Tuesday, Times: mon[0].Times})
	sep, apr, jul := NewDate(2025, time.September, 1), NewDate(2026, time.April, 1), NewDate(2026, time.July, 31)
	stored := Contract{ID: 7, ChildID: 3, GroupID: 1, Product: ProductKDV, Days: mon, Start: sep}
	line := func(n int, change func(*Contract)) importedContract {
		c := stored
		c.ID = 0
		change(&c)
		return importedContract{line: n, c: c}
	}
	for _, tc := range []struct {
		name     string
		lines    []importedContract
		actions  []ImportAction
		problems []ImportProblem
	}{
		{"the same line", []importedContract{line(2, func(*Contract) {})}, nil, nil},
		{"an end date", []importedContract{line(2, func(c *Contract) { c.End = jul })}, []ImportAction{ImportEnd}, nil},
		{"other days from the start", []importedContract{line(2, func(c *Contract) { c.Days = monTue })}, []ImportAction{ImportChange}, nil},
		{"other days from April", []importedContract{line(2, func(c *Contract) { c.Days, c.Start = monTue, apr })}, []ImportAction{ImportVersion}, nil},
		{"old version ended and new version, both listed", []importedContract{
			line(3, func(c *Contract) { c.Days, c.Start = monTue, apr }),
			line(2, func(c *Contract) { c.End = apr.AddDays(-1) }),
		}, []ImportAction{ImportEnd, ImportCreate}, nil},
		{"Qflexibel beside it", []importedContract{line(2, func(*Contract) {}), line(3, func(c *Contract) { c.Product, c.Days, c.CreditHours = ProductQflexibel, nil, 40 })}, []ImportAction{ImportCreate}, nil},
		{"the same line twice", []importedContract{line(2, func(*Contract) {}), line(3, func(*Contract) {})}, []ImportAction{ImportCreate}, []ImportProblem{ProblemOverlap}},
		{"to another group from April", []importedContract{line(2, func(c *Contract) { c.GroupID, c.Start = 2, apr })}, []ImportAction{ImportVersion}, nil},
		{"the old contract unchanged and another on Mondays", []importedContract{line(2, func(*Contract) {}), line(3, func(c *Contract) { c.GroupID, c.Start = 2, apr })},
			[]ImportAction{ImportCreate}, []ImportProblem{ProblemOverlap}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plans, problems := matchContracts([]Contract{stored}, tc.lines)
			var actions []ImportAction
			for _, p := range plans {
				actions = append(actions, p.Action)
			}
			var kinds []ImportProblem
			for _, p := range problems {
				kinds = append(kinds, p.Problem)
			}
			if !slices.Equal(actions, tc.actions) || !slices.Equal(kinds, tc.problems) {
				t.Errorf("actions %v problems %v, want %v %v", actions, problems, tc.actions, tc.problems)
			}
			for _, p := range plans {
				if p.Action == ImportVersion && (p.New.Continues != stored.ID || p.Old.ID != stored.ID) {
					t.Errorf("a version of %d: %+v", stored.ID, p)
				}
			}
			if tc.name == "old version ended and new version, both listed" && plans[1].New.Continues != stored.ID {
				t.Errorf("the new contract after the ended one continues %d, want %d", plans[1].New.Continues, stored.ID)
			}
		})
	}
}
