package client_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/benchtest"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
)

// devicesEnv carries "URL|FINGERPRINT|N" to the devices process.
const devicesEnv = "LOCATIEDESK_BENCH_DEVICES"

// TestDevicesProcess is the devices of BenchmarkHubMemory, in a process of
// their own so that the benchmark's heap is the hub's: N clients, each its
// own connection following the feed. It prints "ready" once all follow,
// then "changes N" for every line it reads, and ends when its input does.
func TestDevicesProcess(t *testing.T) {
	spec := os.Getenv(devicesEnv)
	if spec == "" {
		t.Skip("runs only as the memory benchmark's devices")
	}
	parts := strings.Split(spec, "|")
	n, _ := strconv.Atoi(parts[2])
	var changes atomic.Int64
	for range n {
		c, err := client.Dial(parts[0], parts[1], client.WithOwnerKey(hubtest.OwnerKey))
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		if _, err := c.Subscribe(t.Context(), data.FeedLive, func(data.Change) { changes.Add(1) }); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fmt.Println("changes", changes.Load())
	}
}

// BenchmarkHubMemory is a hub for an organisation of 40 locations (150
// children each, a year of history) with 10 devices per location following
// its feed, each on its own connection from another process. heap-MB is the
// hub process's live heap (after a GC) with all 400 following, device-KB
// what each device adds to it; the goal is under 200 MB. The loop
// is check-ins through the network client while the 400 follow, p50/p99
// as in BenchmarkCheckInRoundTrip.
func BenchmarkHubMemory(b *testing.B) {
	const locations, devicesPerLocation = 40, 10
	now := time.Date(2026, time.November, 25, 9, 30, 0, 0, time.UTC)
	opts := generate.Options{Locations: locations, ChildrenPerLocation: 150, Years: 1, Today: data.DateOf(now), Seed: 42}
	generated, err := generate.File(b.Context(), filepath.Join(os.TempDir(), "locatiedesk-bench"), opts, nil)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "hub.db")
	benchtest.CopyFile(b, generated, path)
	db, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	h := hubtest.Start(b, db)
	writer := dial(b, h, client.WithOwnerKey(hubtest.OwnerKey))
	list, err := writer.DayList(b.Context(), 1, data.DateOf(now))
	if err != nil || len(list.Rows) == 0 {
		b.Fatalf("group 1's list: %v", err)
	}
	edit := data.DayEdit{Date: data.DateOf(now), GroupID: 1, ChildID: list.Rows[0].Child.ID, By: "bench"}
	if err := writer.CheckIn(b.Context(), edit, data.NewClock(7, 30)); err != nil { // the hub's paths warm
		b.Fatal(err)
	}
	before := liveHeap()

	devices := exec.Command(os.Args[0], "-test.run=^TestDevicesProcess$")
	devices.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", devicesEnv, h.URL(), h.Fingerprint(), locations*devicesPerLocation))
	devices.Stderr = os.Stderr
	ask, _ := devices.StdinPipe()
	out, _ := devices.StdoutPipe()
	if err := devices.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { ask.Close(); devices.Wait() }()
	answers := bufio.NewScanner(out)
	if !answers.Scan() || answers.Text() != "ready" {
		b.Fatalf("the devices process: %q", answers.Text())
	}
	after := liveHeap()

	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := writer.CheckIn(b.Context(), edit, data.NewClock(7, 30+i%30)); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	report(b, took, "")
	// Reported after the loop: b.Loop's start clears what came before.
	b.ReportMetric(float64(after)/(1<<20), "heap-MB")
	b.ReportMetric(float64(after-before)/(1<<10)/(locations*devicesPerLocation), "device-KB")
	// Every device had every check-in: the feed kept up with 400 followers.
	time.Sleep(500 * time.Millisecond)
	io.WriteString(ask, "count\n")
	if answers.Scan() {
		var got int
		fmt.Sscanf(answers.Text(), "changes %d", &got)
		if want := len(took) * locations * devicesPerLocation; got < want {
			b.Errorf("the devices had %d changes, want %d", got, want)
		}
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
