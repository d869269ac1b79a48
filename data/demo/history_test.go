package demo_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// TestFill_R6_T1_QueueAndCredit: a newcomer's demo has requests waiting for
// approval, one near its day, one for a day gone by and an older one, each
// paid from absence credit the child earned by an absence reported in time.
func TestFill_R6_T1_QueueAndCredit(t *testing.T) {
	for _, today := range []data.Date{data.NewDate(2026, time.March, 10), data.NewDate(2026, time.November, 25), data.NewDate(2027, time.January, 4), data.NewDate(2026, time.July, 22)} {
		t.Run(today.String(), func(t *testing.T) {
			t.Parallel() // each seeds a store, hashing the demo users' PINs
			now := today.Time(data.NewClock(9, 0), time.Local)
			db, err := boltstore.Open(filepath.Join(t.TempDir(), "demo.db"), boltstore.WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := demo.Fill(t.Context(), db); err != nil {
				t.Fatalf("Fill: %v", err)
			}
			groups, err := db.Groups(t.Context(), 1)
			if err != nil {
				t.Fatal(err)
			}
			flags := map[data.RequestFlag]int{}
			for _, g := range groups {
				items, err := db.OpenRequests(t.Context(), g.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					flags[it.Flag]++
					if !madeByWhoMay(it.Request) {
						t.Errorf("request of %s in group %d via %s is registered by %q, who may not (R1)", it.Child.Name(), it.Request.GroupID, it.Request.Channel, it.Request.By)
					}
					l, err := db.Ledger(t.Context(), it.Child.ID)
					if err != nil {
						t.Fatal(err)
					}
					reserved := 0
					for _, b := range l.Balances {
						reserved += b.Reserved
					}
					if it.Request.Payment.CreditMinutes() == 0 || reserved != it.Request.Payment.CreditMinutes() {
						t.Errorf("request of %s on %s pays %d minutes from credit, %d reserved; want credit used and reserved (R3, R7)",
							it.Child.Name(), it.Request.Date, it.Request.Payment.CreditMinutes(), reserved)
					}
				}
			}
			if flags[data.FlagNear] != 1 || flags[data.FlagPast] != 1 || flags[data.FlagNone] != 1 {
				t.Errorf("open requests by flag %v, want one near, one past and one older", flags)
			}
			if err := demo.Fill(t.Context(), db); !errors.Is(err, data.ErrNotEmpty) {
				t.Errorf("a second Fill: %v, want ErrNotEmpty", err)
			}
		})
	}
}

// madeByWhoMay: a demo request names a person who may register it: staff
// of its own group for the group channel, the office for a parent.
func madeByWhoMay(r data.Request) bool {
	for _, u := range demo.Users {
		if u.Name != r.By {
			continue
		}
		if _, err := data.ChannelFor(u.Role, r.Channel, 0, data.DefaultSettings()); err != nil {
			return false
		}
		return u.Role != data.RoleStaff || slices.Contains(u.GroupIDs, r.GroupID)
	}
	return false
}

// TestBuild_M3_NoHealthDataInNotes: the demo shows staff what a note looks
// like, so it must not show what they may not write: what a child is ill with.
func TestBuild_M3_NoHealthDataInNotes(t *testing.T) {
	ds := demo.Build(data.NewDate(2026, time.November, 25))
	ds.History = demo.History(ds, data.NewDate(2026, time.November, 25))
	var notes []string
	for _, r := range ds.Records {
		notes = append(notes, r.Attendance.Note, r.Attendance.AbsenceText)
	}
	for _, a := range ds.History.Absences {
		notes = append(notes, a.Note)
	}
	if len(notes) == 0 {
		t.Fatal("the demo has no notes to check")
	}
	medical := []string{"koorts", "griep", "medicijn", "allergi", "astma", "diarree", "overgeven", "waterpokken", "antibiotica", "ziekenhuis", "huisarts"}
	for _, n := range notes {
		for _, word := range medical {
			if strings.Contains(strings.ToLower(n), word) {
				t.Errorf("demo note %q names health data (%s)", n, word)
			}
		}
	}
}
