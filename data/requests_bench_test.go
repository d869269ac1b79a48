package data_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// requestBenchGroups are the KDV groups whose children the request benchmark asks extra care for.
var requestBenchGroups = []data.ID{1, 2}

// requestBenchFile copies the 5-year fixture, so the benchmark's writes do
// not change what the other benchmarks read.
func requestBenchFile(b *testing.B, name string) string {
	b.Helper()
	f := benchFixture(b, 5)
	path := filepath.Join(b.TempDir(), name)
	src, err := os.Open(f.path)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchDrafts finds, for the group's window (today and the 3 days after),
// every child of the KDV groups who is not expected that day, and gives
// each some absence credit to pay with.
func benchDrafts(b *testing.B, db *data.DB) []data.RequestDraft {
	b.Helper()
	var drafts []data.RequestDraft
	credited := map[data.ID]bool{}
	for ahead := range 4 {
		day := benchToday.AddDays(ahead)
		for _, g := range requestBenchGroups {
			list, err := db.DayList(g, day)
			if err != nil {
				b.Fatal(err)
			}
			if list.Closed {
				continue
			}
			children, err := db.RequestChildren(g, day)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range children {
				if slices.ContainsFunc(list.Rows, func(r data.DayRow) bool { return r.Child.ID == c.ID }) {
					continue
				}
				drafts = append(drafts, data.RequestDraft{ChildID: c.ID, GroupID: g, Date: day, Product: data.ProductKDV,
					Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}, Channel: data.ChannelGroup, By: "bench"})
				if !credited[c.ID] {
					credited[c.ID] = true
					benchCredit(b, db, c.ID)
				}
			}
		}
	}
	if len(drafts) == 0 {
		b.Fatal("no child to request extra care for")
	}
	return drafts
}

// benchCredit reports the child absent, well ahead, on its next contract day after the window.
func benchCredit(b *testing.B, db *data.DB, child data.ID) {
	b.Helper()
	for ahead := 5; ahead < 14; ahead++ {
		a, err := db.ReportAbsence(data.AbsenceReport{ChildID: child, Date: benchToday.AddDays(ahead), Reason: data.AbsenceDayOff, By: "bench"})
		if err == nil && a.Credit != nil {
			return
		}
	}
	b.Fatalf("child %d earned no credit in the next two weeks", child)
}

// BenchmarkRequestSubmitApprove is one request through its life: submitting
// (the proposal made again inside the transaction, the credit reserved, the
// status and indexes written) and approving (credit spent, the child put on
// the day list), with the change feed delivering to a subscriber, on a copy
// of the 5-year location of 200 children. The preview the request screen
// shows first is timed apart, as preview-ns/op.
//
// Its floor is bare bbolt on the same file through the same handle: the
// same two update transactions writing the same number of keys of the
// same sizes (submit: request, queue index, child index, credit entry;
// approve: those again, the queue key deleted, and the day's extra), with
// no rules, JSON or reading. Both run in turn in every iteration, so disk
// and CPU noise from other processes falls on both alike; ns/op is submit
// and approve, bare-ns/op the floor, ratio the one over the other, and
// ratio-with-preview adds the preview to the request's side.
// Each request is cancelled afterwards outside the timing, so the ledger
// stays as it was.
func BenchmarkRequestSubmitApprove(b *testing.B) {
	path := requestBenchFile(b, "requests.db")
	db, err := data.Open(path, data.WithClock(func() time.Time { return benchNow }))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	drafts := benchDrafts(b, db)
	var published atomic.Int64
	defer db.Subscribe(func(data.Change) { published.Add(1) })()
	bare := bareRequestWrites(b, db.Bolt())

	var previewTime, requestTime, bareTime time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := drafts[i%len(drafts)]
		start := time.Now()
		p, err := db.PreviewRequest(d)
		if err != nil || p.Problem != nil || p.Proposal.CreditMinutes() != 240 {
			b.Fatalf("preview %+v: %v / %v", p.Proposal, err, p.Problem)
		}
		previewTime += time.Since(start)

		start = time.Now()
		r, err := db.SubmitRequest(d, p.Proposal.Payment)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.ApproveRequest(r.ID, "bench"); err != nil {
			b.Fatal(err)
		}
		requestTime += time.Since(start)

		start = time.Now()
		bare(i)
		bareTime += time.Since(start)

		b.StopTimer()
		if err := db.CancelRequest(r.ID, "bench", "reset"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	if published.Load() < int64(4*b.N) {
		b.Fatalf("%d changes published for %d requests", published.Load(), b.N)
	}
	b.ReportMetric(float64(requestTime.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(previewTime.Nanoseconds())/float64(b.N), "preview-ns/op")
	b.ReportMetric(float64(bareTime.Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(float64(requestTime)/float64(bareTime), "ratio")
	b.ReportMetric(float64(requestTime+previewTime)/float64(bareTime), "ratio-with-preview")
}

// bareRequestWrites returns the floor's two update transactions for iteration i.
func bareRequestWrites(b *testing.B, db *bolt.DB) func(i int) {
	request, entry, extra := bytes.Repeat([]byte("r"), 520), bytes.Repeat([]byte("c"), 330), bytes.Repeat([]byte("x"), 110)
	bucket := func(tx *bolt.Tx, path ...string) *bolt.Bucket {
		bk, err := tx.CreateBucketIfNotExists([]byte(path[0]))
		for _, p := range path[1:] {
			if err != nil {
				break
			}
			bk, err = bk.CreateBucketIfNotExists([]byte(p))
		}
		if err != nil {
			b.Fatal(err)
		}
		return bk
	}
	return func(i int) {
		id := []byte(fmt.Sprintf("%08d", i))
		key := append([]byte("2026-03-11"), id...)
		extraKey := []byte(fmt.Sprintf("child%08d", i))
		submit := func(tx *bolt.Tx) error {
			if err := bucket(tx, "bare-requests").Put(id, request); err != nil {
				return err
			}
			if err := bucket(tx, "bare-open", "g").Put(key, nil); err != nil {
				return err
			}
			if err := bucket(tx, "bare-child", "c").Put(key, []byte("open")); err != nil {
				return err
			}
			return bucket(tx, "bare-credit", "c").Put([]byte("2026-04-10e"), entry)
		}
		approve := func(tx *bolt.Tx) error {
			if err := bucket(tx, "bare-requests").Put(id, request); err != nil {
				return err
			}
			if err := bucket(tx, "bare-open", "g").Delete(key); err != nil {
				return err
			}
			if err := bucket(tx, "bare-child", "c").Put(key, []byte("approved")); err != nil {
				return err
			}
			if err := bucket(tx, "bare-credit", "c").Put([]byte("2026-04-10e"), entry); err != nil {
				return err
			}
			return bucket(tx, "bare-extras", "2026-03-11", "g").Put(extraKey, extra)
		}
		if err := db.Update(submit); err != nil {
			b.Fatal(err)
		}
		if err := db.Update(approve); err != nil {
			b.Fatal(err)
		}
	}
}
