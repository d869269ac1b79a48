package outbox

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
)

// TestForgetListsBefore: the kept lists of days gone by go, the rest stays.
func TestForgetListsBefore(t *testing.T) {
	f, err := openFile(filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	day := data.NewDate(2026, 11, 23)
	for i := -3; i <= 1; i++ {
		for group := data.ID(1); group <= 2; group++ {
			d := day.AddDays(i)
			if err := f.keep(cacheKey("DayList", group, d), data.DayList{Date: d, Group: data.Group{ID: group}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.keep(cacheKey("Locations"), []data.Location{{ID: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := f.forgetListsBefore(day.AddDays(-1)); err != nil {
		t.Fatal(err)
	}
	for i := -3; i <= 1; i++ {
		for group := data.ID(1); group <= 2; group++ {
			var l data.DayList
			_, ok, err := f.kept(cacheKey("DayList", group, day.AddDays(i)), &l)
			if err != nil || ok != (i >= -1) {
				t.Errorf("group %d, day %+d: kept %v (%v)", group, i, ok, err)
			}
		}
	}
	var locations []data.Location
	if _, ok, _ := f.kept(cacheKey("Locations"), &locations); !ok {
		t.Error("the locations went with the old lists")
	}
}

// countingHub answers every call and counts the check-ins it gets.
type countingHub struct {
	data.Store // nil: what the test does not call
	checkIns   atomic.Int32
}

func (h *countingHub) Clock(context.Context) (time.Time, error) { return time.Now(), nil }
func (h *countingHub) As(data.Actor) data.Store                 { return h }
func (h *countingHub) Close() error                             { return nil }
func (h *countingHub) LearnHubs(context.Context) error          { return nil }
func (h *countingHub) CheckIn(context.Context, data.DayEdit, data.Clock) error {
	h.checkIns.Add(1)
	return nil
}

// TestSend_AnActionKeptTooLongIsNotSent: the hub remembers a write's key for
// data.WriteKeyKept; an action kept longer might be made twice, so it goes
// to the refused list unsent, saying why. A newer one after it is sent.
func TestSend_AnActionKeptTooLongIsNotSent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	f, err := openFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := data.NewClock(8, 0)
	tess := data.Actor{UserID: 2, Name: "Tess Janssen"}
	for _, made := range []time.Time{time.Now().Add(-data.WriteKeyKept - time.Hour), time.Now()} {
		if err := f.add(keptJSON{Action: data.KeptCheckIn, Key: newKey(), Actor: tess, At: &at, Made: made}); err != nil {
			t.Fatal(err)
		}
	}
	f.close()

	hub := &countingHub{}
	s, err := Open(path, hub, WithProbe(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(10 * time.Second)
	for s.Pending() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	refused := s.Refused()
	var r *data.Refusal
	if len(refused) != 1 || !errors.As(refused[0].Err, &r) || r.Code != data.RefuseKeptTooLong {
		t.Errorf("refused %+v, want the old check-in, kept too long", refused)
	}
	if n := hub.checkIns.Load(); n != 1 || s.Pending() != 0 {
		t.Errorf("the hub got %d check-ins (%d waiting), want only the new one", n, s.Pending())
	}
}
