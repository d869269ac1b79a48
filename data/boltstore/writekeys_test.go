package boltstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
)

// keyedMonday is the clock of the write-key tests: a working day of the demo.
var keyedMonday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)

// keyedEdit is a child on group 1's list on the store's today.
func keyedEdit(t *testing.T, db data.Store) data.DayEdit {
	t.Helper()
	list, err := db.DayList(t.Context(), 1, db.Today())
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("group 1's list: %v", err)
	}
	return data.DayEdit{Date: db.Today(), GroupID: 1, ChildID: list.Rows[0].Child.ID, By: "test"}
}

func logLength(t *testing.T, db data.Store) int {
	t.Helper()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestWriteKey_KnownAfterReopening: the key is in the file, so a hub that
// crashed and started again still skips the retry.
func TestWriteKey_KnownAfterReopening(t *testing.T) {
	now := keyedMonday
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	edit := keyedEdit(t, db)
	ctx := data.WithWriteKey(t.Context(), "tablet-1:0001")
	if err := db.CheckIn(ctx, edit, data.NewClock(8, 10)); err != nil {
		t.Fatal(err)
	}
	before := logLength(t, db)
	db.Close()

	again, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for key, want := range map[string]bool{"tablet-1:0001": true, "tablet-1:0002": false} {
		if applied, err := again.WriteApplied(t.Context(), key); err != nil || applied != want {
			t.Errorf("WriteApplied(%s) = %v, %v; want %v", key, applied, err, want)
		}
	}
	if err := again.CheckIn(ctx, edit, data.NewClock(8, 20)); !errors.Is(err, data.ErrAlreadyApplied) {
		t.Fatalf("the retry after reopening: %v, want ErrAlreadyApplied", err)
	}
	if n := logLength(t, again); n != before {
		t.Errorf("the skipped retry logged %d entries", n-before)
	}
	list, _ := again.DayList(t.Context(), 1, edit.Date)
	if got := list.Rows[0].Attendance.CheckIn; got == nil || *got != data.NewClock(8, 10) {
		t.Errorf("check-in %v after the retry, want the first one's 08:10", got)
	}
}

// TestWriteKey_ForgottenAfterAMonth: keys older than data.WriteKeyKept are
// pruned by later keyed writes, so the record does not grow for ever.
func TestWriteKey_ForgottenAfterAMonth(t *testing.T) {
	now := keyedMonday
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	old := data.WithWriteKey(t.Context(), "old")
	if err := db.LogPrint(old, "first"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(data.WriteKeyKept - time.Hour)
	if err := db.LogPrint(data.WithWriteKey(t.Context(), "newer"), "second"); err != nil {
		t.Fatal(err)
	}
	if err := db.LogPrint(old, "first"); !errors.Is(err, data.ErrAlreadyApplied) {
		t.Fatalf("within the month: %v, want ErrAlreadyApplied", err)
	}
	now = now.Add(2 * time.Hour)
	if err := db.LogPrint(data.WithWriteKey(t.Context(), "newest"), "third"); err != nil {
		t.Fatal(err)
	}
	if err := db.LogPrint(old, "first"); err != nil {
		t.Errorf("a key past the month is forgotten, so the write runs: %v", err)
	}
	if err := db.LogPrint(data.WithWriteKey(t.Context(), "newer"), "second"); !errors.Is(err, data.ErrAlreadyApplied) {
		t.Errorf("a key within the month: %v, want ErrAlreadyApplied", err)
	}
}

// TestWriteKey_ReadsAndSignInsDoNotUseTheKey: the credit a ledger read
// grants and a sign-in are not the write the key names, so they neither
// use it up nor are skipped by it.
func TestWriteKey_ReadsAndSignInsDoNotUseTheKey(t *testing.T) {
	db, _ := datatest.Demo(t, keyedMonday)
	ctx := data.WithWriteKey(t.Context(), "k")
	if _, err := db.SignIn(ctx, 2, "2222"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, 2, "2222"); err != nil {
		t.Errorf("a second sign-in with the same key: %v", err)
	}
	for id := data.ID(1); id <= 5; id++ {
		if _, err := db.Ledger(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.LogPrint(ctx, "after the reads"); err != nil {
		t.Errorf("the write the key names, after reads and sign-ins with it: %v", err)
	}
}

func TestWriteKey_TooLongIsRefused(t *testing.T) {
	db, _ := datatest.Demo(t, keyedMonday)
	before := logLength(t, db)
	err := db.LogPrint(data.WithWriteKey(t.Context(), strings.Repeat("k", data.MaxWriteKey+1)), "x")
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a key of %d characters: %v, want ErrInvalid", data.MaxWriteKey+1, err)
	}
	if logLength(t, db) != before {
		t.Error("the refused write was logged")
	}
}

// TestWriteKey_ARefusedWriteLeavesNoKey: only a committed write records its
// key, so the retry of a refused one is judged again and may pass once the
// facts changed.
func TestWriteKey_ARefusedWriteLeavesNoKey(t *testing.T) {
	db, _ := datatest.Demo(t, keyedMonday)
	edit := keyedEdit(t, db)
	ctx := data.WithWriteKey(t.Context(), "out")
	if err := db.CheckOut(ctx, edit, data.NewClock(8, 30)); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("a check-out before any check-in: %v, want refused", err)
	}
	if err := db.CheckIn(t.Context(), edit, data.NewClock(8, 0)); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckOut(ctx, edit, data.NewClock(8, 30)); err != nil {
		t.Errorf("the retry after the check-in: %v, want it applied", err)
	}
}
