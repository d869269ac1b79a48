//go:build unix

package integration_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
	"locatiedesk/hub/wire"
)

// hubChildEnv carries the data file and address to the hub process.
const hubChildEnv = "LOCATIEDESK_KILLED_HUB"

// lateMonday is the killed hub's clock: the demo's Monday, late, so that
// every check-in time the writer uses has passed (A4).
var lateMonday = time.Date(2026, 11, 23, 23, 59, 0, 0, time.Local)

// TestKilledHub is the hub process of TestHub_KilledMidWriteKeepsEveryAcknowledgedWrite:
// it serves the data file on the address until it is killed, and prints
// "ready URL FINGERPRINT" once it listens.
func TestKilledHub(t *testing.T) {
	path, addr, ok := hubProcessSpec(hubChildEnv)
	if !ok {
		t.Skip("runs only as the kill test's hub process")
	}
	db, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return lateMonday }))
	if err != nil {
		failHubProcess(err)
	}
	cert, err := hub.Certificate(path)
	if err != nil {
		failHubProcess(err)
	}
	ln, err := listenAgain(addr)
	if err != nil {
		failHubProcess(err)
	}
	announceReady(ln, hub.Fingerprint(cert))
	failHubProcess(hub.New(db, "").Serve(context.Background(), ln, cert))
}

// keyedWriter checks in one child again and again, a minute later each
// time, as a tablet whose every write carries its own key: it retries a
// write until the hub acknowledges it, with the same key, signing in again
// when the hub (restarted) no longer knows its session.
type keyedWriter struct {
	c      *client.Client
	s      data.Store
	edit   data.DayEdit
	user   data.ID
	secret string

	mu    sync.Mutex
	acked int // writes 0 … acked-1 are acknowledged
	// writing is set while a write waits for the hub's answer.
	writing bool
}

func (w *keyedWriter) progress() (acked int, writing bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked, w.writing
}

// at is the check-in time of write i: unique per write, so the log shows
// which write an entry is.
func checkInTime(i int) data.Clock { return data.NewClock(6+i/60, i%60) }

func (w *keyedWriter) run(ctx context.Context) error {
	for i := 0; ctx.Err() == nil; i++ {
		if i >= 17*60 {
			return errors.New("the writer ran out of check-in times")
		}
		keyed := data.WithWriteKey(ctx, fmt.Sprintf("kill-test-%04d", i))
		for {
			w.mu.Lock()
			w.writing = true
			w.mu.Unlock()
			err := w.s.CheckIn(keyed, w.edit, checkInTime(i))
			w.mu.Lock()
			w.writing = false
			if err == nil {
				w.acked = i + 1
			}
			w.mu.Unlock()
			if err == nil {
				break
			}
			if errors.Is(err, wire.ErrNotSignedIn) {
				if a, err := w.c.SignIn(ctx, w.user, w.secret); err == nil {
					w.s = w.c.As(a)
				}
			} else if errors.Is(err, data.ErrForbidden) || errors.Is(err, data.ErrInvalid) {
				return fmt.Errorf("write %d refused: %w", i, err)
			}
			if ctx.Err() != nil {
				return nil // the last write may or may not have been applied; the check allows both
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return nil
}

// TestHub_KilledMidWriteKeepsEveryAcknowledgedWrite runs the hub as its own
// process and kills it with SIGKILL at random moments while a device writes;
// after every restart the device retries its unacknowledged write with its
// key. In the end every acknowledged write is in the file exactly once,
// and the one in flight at the end at most once.
func TestHub_KilledMidWriteKeepsEveryAcknowledgedWrite(t *testing.T) {
	if os.Getenv(hubChildEnv) != "" {
		t.Skip("this is the hub process")
	}
	db, path := datatest.Open(t, datatest.At(monday9), datatest.WithDemo(), datatest.Path(filepath.Join(t.TempDir(), "hub.db")))
	day := data.DateOf(monday9)
	list, err := db.DayList(t.Context(), 1, day)
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("group 1's list: %v", err)
	}
	edit := data.DayEdit{Date: day, GroupID: 1, ChildID: list.Rows[0].Child.ID, By: "Tess Janssen"}
	// The writer's tablet is paired before the hub process takes the file.
	code, err := db.CreatePairingCode(t.Context(), "Rupsjes tablet")
	if err != nil {
		t.Fatal(err)
	}
	const credential = "the-writing-tablets-credential"
	tablet, err := db.PairDevice(t.Context(), code.ID, "", data.HashCredential(credential))
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // the hub process holds the file from now on

	h := newHubProcess(t, "TestKilledHub", hubChildEnv, path)
	h.start()
	c, err := client.DialDevice(client.DeviceFile{URL: h.url, Fingerprint: h.fingerprint, DeviceID: tablet.ID, Credential: credential})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := c.SignIn(t.Context(), tess, tessPIN)
	if err != nil {
		t.Fatal(err)
	}
	w := &keyedWriter{c: c, s: c.As(a), edit: edit, user: tess, secret: tessPIN}
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()

	rounds := 10
	if testing.Short() {
		rounds = 3
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	midWrite := 0
	for round := range rounds + 1 {
		// Each hub lives until the device got a write through it, and a
		// random moment more, while the device goes on writing.
		since, _ := w.progress()
		deadline := time.Now().Add(20 * time.Second)
		for acked, _ := w.progress(); acked <= since; acked, _ = w.progress() {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: no write got through the restarted hub", round)
			}
			time.Sleep(time.Millisecond)
		}
		if round == rounds {
			break
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		if _, writing := w.progress(); writing {
			midWrite++
		}
		h.kill()
		time.Sleep(time.Duration(rng.IntN(50)) * time.Millisecond)
		h.start()
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	h.kill()

	acked, _ := w.progress()
	t.Logf("%d kills, %d of them while a write waited for its answer; %d writes acknowledged", rounds, midWrite, acked)
	if midWrite == 0 {
		t.Fatal("no kill landed while a write was under way")
	}
	checkAppliedOnce(t, path, acked)
}

// checkAppliedOnce opens the file the killed hub left and finds each of
// the writer's check-ins in the log: the acknowledged ones exactly once,
// the one in flight at the end at most once, no other.
func checkAppliedOnce(t *testing.T, path string, acked int) {
	t.Helper()
	if err := boltstore.VerifyFile(path); err != nil {
		t.Fatalf("the file after the kills: %v", err)
	}
	db, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return monday9 }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditCheckIn, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	checkCheckIns(t, entries, acked)
	list, err := db.DayList(t.Context(), 1, data.DateOf(monday9))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Rows {
		if r.Child.ID == list.Rows[0].Child.ID {
			if in := r.Attendance.CheckIn; in == nil || (*in != checkInTime(acked-1) && *in != checkInTime(acked)) {
				t.Errorf("the child's check-in is %v, want the last acknowledged %s (or the one in flight)", in, checkInTime(acked-1))
			}
		}
	}
}

// checkCheckIns finds each of the writer's check-ins among the log's
// check-in entries: the acknowledged ones exactly once, the one in flight
// at the end at most once, no other.
func checkCheckIns(t *testing.T, entries []data.AuditEntry, acked int) {
	t.Helper()
	applied := map[data.Clock]int{}
	for _, e := range entries {
		_, after, ok := strings.Cut(e.Detail, "→ in ")
		after, _, _ = strings.Cut(after, ",") // a note may follow the time
		at, err := data.ParseClock(after)
		if !ok || err != nil {
			t.Fatalf("a check-in logged as %q", e.Detail)
		}
		applied[at]++
	}
	for i := range acked {
		if n := applied[checkInTime(i)]; n != 1 {
			t.Errorf("acknowledged write %d (check-in %s) is in the log %d times, want once", i, checkInTime(i), n)
		}
		delete(applied, checkInTime(i))
	}
	for at, n := range applied {
		if at != checkInTime(acked) || n > 1 {
			t.Errorf("check-in %s is in the log %d times; only write %d (%s), in flight at the end, may be", at, n, acked, checkInTime(acked))
		}
	}
}
