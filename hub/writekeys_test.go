package hub_test

import (
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/wire"
)

// TestAPI_ARetryToARestartedHubIsAppliedOnce: the hub that took a write
// went away with its memory; a new hub on the same file, with a new session
// of the same person, answers the retry as a success and writes nothing.
func TestAPI_ARetryToARestartedHubIsAppliedOnce(t *testing.T) {
	first, db := demoHub(t)
	headers := signIn(t, first, 2, "2222").headers("check-in-1")
	if status, answer := api(t, first, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
		t.Fatalf("check-in: %d %v", status, answer)
	}
	applied, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})

	second := hubtest.Start(t, db)
	maps.Copy(headers, signIn(t, second, 2, "2222").headers(""))
	after, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1}) // the sign-in's entry
	if status, answer := api(t, second, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
		t.Fatalf("the retry to the new hub: %d %v, want success", status, answer)
	}
	last, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if last[0].Seq != after[0].Seq {
		t.Errorf("the retry wrote %q (seq %d), want nothing after the check-in (seq %d)", last[0].Action, last[0].Seq, applied[0].Seq)
	}
}

// TestAPI_TwoPeoplesKeysNeverNameOneWrite: a key is the sender's, so the
// same key from another person is another write.
func TestAPI_TwoPeoplesKeysNeverNameOneWrite(t *testing.T) {
	h, db := demoHub(t)
	tess := signIn(t, h, 2, "2222").headers("1")
	sven := signIn(t, h, 3, "3333").headers("1")
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), tess); status != http.StatusOK {
		t.Fatalf("Tess: %d %v", status, answer)
	}
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 3), sven); status != http.StatusOK {
		t.Fatalf("Sven: %d %v", status, answer)
	}
	list, _ := db.DayList(t.Context(), 3, data.DateOf(monday9))
	if list.Rows[0].Attendance.CheckIn == nil {
		t.Error("Sven's check-in with the key Tess used was skipped")
	}
}

func TestAPI_ALongKeyIsRefused(t *testing.T) {
	h, db := demoHub(t)
	headers := signIn(t, h, 2, "2222").headers(strings.Repeat("k", 65))
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusBadRequest {
		t.Errorf("a key of 65 characters: %d %v, want refused", status, answer)
	}
}

// TestAPI_ARetryAfterMidnightIsStillApplied: a check-in made at 23:59 whose
// answer was lost, retried after midnight to a restarted hub, is answered
// as applied, not refused because its day has passed.
func TestAPI_ARetryAfterMidnightIsStillApplied(t *testing.T) {
	var now atomic.Int64
	lateMonday := time.Date(2026, 11, 23, 23, 59, 0, 0, time.Local)
	now.Store(lateMonday.UnixNano())
	db, _ := datatest.Open(t, datatest.Clock(func() time.Time { return time.Unix(0, now.Load()) }), datatest.WithDemo())
	first := hubtest.Start(t, db)
	headers := signIn(t, first, 2, "2222").headers("late")
	if status, answer := api(t, first, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
		t.Fatalf("check-in at 23:59: %d %v", status, answer)
	}

	now.Store(lateMonday.Add(2 * time.Minute).UnixNano())
	second := hubtest.Start(t, db)
	maps.Copy(headers, signIn(t, second, 2, "2222").headers(""))
	if status, answer := api(t, second, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
		t.Errorf("its retry after midnight: %d %v, want success", status, answer)
	}
	headers[wire.HeaderIdempotency] = "new"
	if status, answer := api(t, second, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status == http.StatusOK {
		t.Errorf("a new check-in on Monday after midnight: %d %v, want refused (the day has passed)", status, answer)
	}
}
