package boltstore_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// crashNow is the clock of the crash test's writer and checker.
var crashNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const crashChildEnv = "LOCATIEDESK_CRASH_WRITER"

// TestCrashWriter is the child process of TestCrash_NothingAcknowledgedIsLost:
// it writes notes on the lists of past days as fast as it can and prints an
// "ack" line after each write has returned (= committed and synced).
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as the crash test's child process")
	}
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return crashNow }))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	for n := 0; ; n++ {
		day := data.DateOf(crashNow).AddDays(-(n % 40))
		list, err := db.DayList(t.Context(), 1, day)
		if err != nil || list.Closed || len(list.Rows) == 0 {
			continue
		}
		child := list.Rows[n%len(list.Rows)].Child.ID
		unlock, _ := db.Unlock(t.Context(), day, "crash")
		note := fmt.Sprintf("write %d", n)
		if err := db.SetNote(t.Context(), data.DayEdit{Date: day, GroupID: 1, ChildID: child, By: "crash", Unlock: unlock}, note); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Fprintf(out, "ack %s %d %s\n", day, child, note)
		out.Flush()
	}
}

// TestCrash_NothingAcknowledgedIsLost kills a writing process with SIGKILL at
// a random moment, many times over, and checks that the store opens, passes
// bbolt's consistency check and holds every write it acknowledged.
func TestCrash_NothingAcknowledgedIsLost(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("this is the child")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return crashNow }))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Seed(t.Context(), demo.Build(data.DateOf(crashNow))); err != nil {
		t.Fatal(err)
	}
	db.Close()

	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for round := range rounds {
		acked := runAndKill(t, path, time.Duration(50+rng.IntN(400))*time.Millisecond)
		if err := boltstore.VerifyFile(path); err != nil {
			t.Fatalf("round %d: after SIGKILL: %v", round, err)
		}
		checkAcknowledged(t, path, acked, round)
	}
}

type ack struct {
	day   data.Date
	child data.ID
	note  string
}

// runAndKill starts the writer, kills it after d, and returns what it acknowledged.
func runAndKill(t *testing.T, path string, d time.Duration) []ack {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
	}()
	timer := time.AfterFunc(d, func() { cmd.Process.Signal(syscall.SIGKILL) })
	defer timer.Stop()
	var acked []ack
	for line := range lines {
		var a ack
		var day string
		if strings.HasPrefix(line, "error") {
			t.Fatalf("writer failed: %s", line)
		}
		if _, err := fmt.Sscanf(line, "ack %s %d write", &day, &a.child); err != nil {
			continue
		}
		a.day, _ = data.ParseDate(day)
		a.note = line[strings.Index(line, "write"):]
		acked = append(acked, a)
	}
	cmd.Wait()
	return acked
}

// checkAcknowledged reopens the store and finds, per record, the last note
// the writer acknowledged for it.
func checkAcknowledged(t *testing.T, path string, acked []ack, round int) {
	t.Helper()
	last := map[string]string{}
	for _, a := range acked {
		last[fmt.Sprintf("%s/%d", a.day, a.child)] = a.note
	}
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return crashNow }))
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer db.Close()
	for key, want := range last {
		dayText, childText, _ := strings.Cut(key, "/")
		day, _ := data.ParseDate(dayText)
		list, err := db.DayList(t.Context(), 1, day)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range list.Rows {
			if fmt.Sprint(r.Child.ID) == childText {
				// A later write to the same record may have committed without its
				// ack being read before the kill, so the note is this one or newer.
				found = noteNumber(r.Attendance.Note) >= noteNumber(want)
			}
		}
		if !found {
			t.Fatalf("round %d: acknowledged %q on %s child %s is lost", round, want, dayText, childText)
		}
	}
	t.Logf("round %d: %d acknowledged writes, all present", round, len(acked))
}

func noteNumber(note string) int {
	var n int
	if _, err := fmt.Sscanf(note, "write %d", &n); err != nil {
		return -1
	}
	return n
}
