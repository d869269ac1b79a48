package boltstore_test

// The speed suite (PERFORMANCE.md): every action a location does daily,
// and opening the app, on generated organisations of 1, 10 and 40 locations
// with 1 and 5 years of history. Each benchmark runs the store's action and,
// in the same iteration, a bare bbolt transaction that reads (or writes) the
// same keys on the same file without rules, JSON or indexes of its own, so
// noise from other processes falls on both alike. It reports the store's
// time as ns/op, the floor as bare-ns/op and their ratio.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/benchtest"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

func openScale(b *testing.B, path string) *boltstore.DB {
	b.Helper()
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return benchtest.Now }))
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// versus times the store's action and the bare floor in turn (ns/op,
// bare-ns/op, their ratio; see benchtest.Versus), with allocations.
func versus(b *testing.B, rows int, store, bare func(i int), after ...func(i int)) {
	b.Helper()
	b.ReportAllocs()
	benchtest.Versus(b, rows, []benchtest.Turn{{Unit: "ns/op", Run: store}, {Unit: "bare-ns/op", Run: bare}}, after...)
}

// A keyRef is one read of the bare floor: the value at key in the nested
// bucket at path; with no key, every pair of the bucket; with seek, every
// pair from seek on.
type keyRef struct {
	path      []string
	key, seek []byte
}

// readKeys reads refs in one transaction and returns the bytes read, so the
// reads are not optimised away; nothing is decoded.
func readKeys(tx *bolt.Tx, refs []keyRef) int {
	n := 0
	for _, r := range refs {
		bk := tx.Bucket([]byte(r.path[0]))
		for _, p := range r.path[1:] {
			if bk == nil {
				break
			}
			bk = bk.Bucket([]byte(p))
		}
		if bk == nil {
			continue
		}
		switch {
		case r.key != nil:
			n += len(bk.Get(r.key))
		case r.seek != nil:
			c := bk.Cursor()
			for k, v := c.Seek(r.seek); k != nil; k, v = c.Next() {
				n += len(v)
			}
		default:
			bk.ForEach(func(_, v []byte) error { n += len(v); return nil })
		}
	}
	return n
}

func idKey(id data.ID) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }

func idText(id data.ID) string { return string(idKey(id)) }

// dayKeys are the keys a group's list of d is built from: the group, the
// settings, the group's contract index and running contracts, each child
// on the list with picture and consent, the day's extras and records, the
// closing day, and the study days and holidays of the children's schools.
func dayKeys(b *testing.B, db *boltstore.DB, group data.ID, d data.Date) []keyRef {
	b.Helper()
	list, err := db.DayList(b.Context(), group, d)
	if err != nil {
		b.Fatal(err)
	}
	refs := []keyRef{
		{path: []string{"groups"}, key: idKey(group)},
		{path: []string{"settings"}, key: []byte("organisation")},
		{path: []string{"contracts-by-group", idText(group)}},
	}
	err = db.Bolt().View(func(tx *bolt.Tx) error {
		day := d.String()
		return tx.Bucket([]byte("contracts-by-group")).Bucket(idKey(group)).ForEach(func(k, span []byte) error {
			start, end, _ := bytes.Cut(span, []byte("/"))
			if string(start) <= day && (len(end) == 0 || string(end) >= day) {
				refs = append(refs, keyRef{path: []string{"contracts"}, key: slices.Clone(k)})
			}
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	schools := map[data.ID]bool{}
	for _, r := range list.Rows {
		id := idKey(r.Child.ID)
		refs = append(refs, keyRef{path: []string{"children"}, key: id}, keyRef{path: []string{"pictures"}, key: id},
			keyRef{path: []string{"consent-current"}, key: id})
		if r.Child.SchoolID != 0 {
			schools[r.Child.SchoolID] = true
		}
	}
	refs = append(refs,
		keyRef{path: []string{"extras", d.String(), idText(group)}},
		keyRef{path: []string{"attendance", d.String(), idText(group)}},
		keyRef{path: []string{"closing-days"}, key: []byte(d.String())})
	for s := range schools {
		refs = append(refs, keyRef{path: []string{"study-days", idText(s)}, key: []byte(d.String())},
			keyRef{path: []string{"holidays", idText(s)}, seek: []byte(d.String())})
	}
	return refs
}

func bareRead(b *testing.B, bdb *bolt.DB, refs []keyRef) {
	err := bdb.View(func(tx *bolt.Tx) error {
		if readKeys(tx, refs) == 0 {
			return fmt.Errorf("the bare read found nothing")
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// busiestList is today's list of the group of location 1 with the most children.
func busiestList(b *testing.B, db *boltstore.DB) data.DayList {
	b.Helper()
	groups, err := db.Groups(b.Context(), 1)
	if err != nil {
		b.Fatal(err)
	}
	var best data.DayList
	for _, g := range groups {
		list, err := db.DayList(b.Context(), g.ID, benchtest.Today)
		if err != nil {
			b.Fatal(err)
		}
		if len(list.Rows) > len(best.Rows) {
			best = list
		}
	}
	return best
}

// BenchmarkOpenToFirstList is starting the app: opening the store and
// reading the first list it shows, against opening the file with bbolt
// alone and reading the same keys.
func BenchmarkOpenToFirstList(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			path := benchtest.File(b, s)
			db := openScale(b, path)
			groups, err := db.Groups(b.Context(), 1)
			if err != nil {
				b.Fatal(err)
			}
			refs := dayKeys(b, db, groups[0].ID, benchtest.Today)
			first, err := db.DayList(b.Context(), groups[0].ID, benchtest.Today)
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
			versus(b, len(first.Rows), func(int) {
				db := openScale(b, path)
				locations, err := db.Locations(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				groups, err := db.Groups(b.Context(), locations[0].ID)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.DayList(b.Context(), groups[0].ID, db.Today()); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}, func(int) {
				bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
				if err != nil {
					b.Fatal(err)
				}
				bareRead(b, bdb, refs)
				bdb.Close()
			})
		})
	}
}

// BenchmarkDayList is one group's list of the day, the busiest of location 1
// with the morning's check-ins (daily).
func BenchmarkDayList(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			db := openScale(b, benchtest.File(b, s))
			defer db.Close()
			list := busiestList(b, db)
			refs := dayKeys(b, db, list.Group.ID, list.Date)
			versus(b, len(list.Rows), func(int) {
				if _, err := db.DayList(b.Context(), list.Group.ID, list.Date); err != nil {
					b.Fatal(err)
				}
			}, func(int) { bareRead(b, db.Bolt(), refs) })
		})
	}
}

// BenchmarkCheckIn is one check-in on today's list (daily): rule checks,
// one transaction, the change feed. Its floor is one bare update that reads
// the child's keys and writes a record of the same size to the same key.
func BenchmarkCheckIn(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			db := openScale(b, benchtest.FileCopy(b, s))
			defer db.Close()
			list := busiestList(b, db)
			i := slices.IndexFunc(list.Rows, func(r data.DayRow) bool { return r.Attendance.Status() == data.StatusToCome })
			if i < 0 {
				b.Fatalf("nobody to come on the list of %s", list.Group.Name)
			}
			child := list.Rows[i].Child
			edit := data.DayEdit{Date: list.Date, GroupID: list.Group.ID, ChildID: child.ID, By: "bench"}
			if err := db.CheckIn(b.Context(), edit, data.ClockOf(benchtest.Now)); err != nil {
				b.Fatal(err)
			}
			var record []byte
			refs := []keyRef{
				{path: []string{"groups"}, key: idKey(list.Group.ID)},
				{path: []string{"settings"}, key: []byte("organisation")},
				{path: []string{"children"}, key: idKey(child.ID)},
				{path: []string{"contracts-by-child", idText(child.ID)}},
				{path: []string{"extras", list.Date.String(), idText(list.Group.ID)}, key: idKey(child.ID)},
				{path: []string{"closing-days"}, key: []byte(list.Date.String())},
			}
			db.Bolt().View(func(tx *bolt.Tx) error {
				record = slices.Clone(tx.Bucket([]byte("attendance")).Bucket([]byte(list.Date.String())).Bucket(idKey(list.Group.ID)).Get(idKey(child.ID)))
				return nil
			})
			datatest.Subscribe(b, db, func(data.Change) {})
			versus(b, 1, func(int) {
				if err := db.CheckIn(b.Context(), edit, data.ClockOf(benchtest.Now)); err != nil {
					b.Fatal(err)
				}
			}, func(int) {
				err := db.Bolt().Update(func(tx *bolt.Tx) error {
					readKeys(tx, refs)
					return tx.Bucket([]byte("attendance")).Bucket([]byte(list.Date.String())).Bucket(idKey(list.Group.ID)).Put(idKey(child.ID), record)
				})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRequest is a request from the group (daily): the payment
// proposal the form shows, submitting it (credit reserved) and approving it
// (credit spent, the child on the list). Its floor reads the child's ledger
// and the day's keys, and writes keys of the same sizes and shape in two
// bare updates. Each request is cancelled afterwards, untimed, so the
// ledger stays as it was.
func BenchmarkRequest(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			db := openScale(b, benchtest.FileCopy(b, s))
			defer db.Close()
			drafts := requestDrafts(b, db)
			datatest.Subscribe(b, db, func(data.Change) {})
			bare := bareRequest(b, db, drafts)
			var approved data.ID
			versus(b, 1, func(i int) {
				d := drafts[i%len(drafts)]
				p, err := db.PreviewRequest(b.Context(), d)
				if err != nil || p.Problem != nil {
					b.Fatalf("preview: %v / %v", err, p.Problem)
				}
				r, err := db.SubmitRequest(b.Context(), d, p.Proposal.Payment)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.ApproveRequest(b.Context(), r.ID, "bench"); err != nil {
					b.Fatal(err)
				}
				approved = r.ID
			}, bare, func(int) {
				if err := db.CancelRequest(b.Context(), approved, "bench", "reset"); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// requestDrafts are the requests the group of a daycare group of location 1
// can make today and in the next three days: children with a contract there
// who are not expected that day and have no request for it yet.
func requestDrafts(b *testing.B, db *boltstore.DB) []data.RequestDraft {
	b.Helper()
	groups, err := db.Groups(b.Context(), 1)
	if err != nil {
		b.Fatal(err)
	}
	var drafts []data.RequestDraft
	for _, g := range groups {
		if g.Care != data.KDV {
			continue
		}
		for ahead := range 4 {
			day := benchtest.Today.AddDays(ahead)
			children, err := db.RequestChildren(b.Context(), g.ID, day)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range children {
				d := data.RequestDraft{ChildID: c.ID, GroupID: g.ID, Date: day, Product: data.ProductKDV, OverCapacity: true,
					Times: data.TimeRange{From: data.NewClock(13, 0), Until: data.NewClock(18, 0)}, Channel: data.ChannelGroup, By: "bench"}
				if p, err := db.PreviewRequest(b.Context(), d); err == nil && p.Problem == nil {
					drafts = append(drafts, d)
				}
			}
		}
	}
	if len(drafts) == 0 {
		b.Fatal("no child to request extra care for")
	}
	return drafts
}

// bareRequest returns the floor of one request: a read of what the
// proposal reads, and the writes of submitting and approving it (request,
// open queue, child's index, credit entry; then the extra) in two updates.
func bareRequest(b *testing.B, db *boltstore.DB, drafts []data.RequestDraft) func(i int) {
	reads := make([][]keyRef, len(drafts))
	for i, d := range drafts {
		reads[i] = append(dayKeys(b, db, d.GroupID, d.Date),
			keyRef{path: []string{"credit", idText(d.ChildID)}, seek: []byte(benchtest.Today.String())},
			keyRef{path: []string{"contracts-by-child", idText(d.ChildID)}},
			keyRef{path: []string{"requests-by-child", idText(d.ChildID)}, seek: []byte(d.Date.String())})
	}
	request, entry, extra := bytes.Repeat([]byte("r"), 600), bytes.Repeat([]byte("c"), 330), bytes.Repeat([]byte("x"), 110)
	put := func(tx *bolt.Tx, path []string, key, value []byte) error {
		bk, err := tx.CreateBucketIfNotExists([]byte(path[0]))
		for _, p := range path[1:] {
			if err != nil {
				break
			}
			bk, err = bk.CreateBucketIfNotExists([]byte(p))
		}
		if err != nil {
			return err
		}
		if value == nil {
			return bk.Delete(key)
		}
		return bk.Put(key, value)
	}
	return func(i int) {
		d := drafts[i%len(drafts)]
		id := idKey(data.ID(1<<40 + i))
		dayID := append([]byte(d.Date.String()), id...)
		bareRead(b, db.Bolt(), reads[i%len(drafts)])
		// The bare writes go to buckets of their own, of the same shape:
		// the store's rules must not read them as requests.
		writes := []func(tx *bolt.Tx) error{
			func(tx *bolt.Tx) error { // submit
				return firstError(put(tx, []string{"bare-requests"}, id, request),
					put(tx, []string{"bare-requests-open", idText(d.GroupID)}, dayID, []byte{}),
					put(tx, []string{"bare-requests-by-child", idText(d.ChildID)}, dayID, []byte("open")),
					put(tx, []string{"bare-credit", idText(d.ChildID)}, dayID, entry))
			},
			func(tx *bolt.Tx) error { // approve
				return firstError(put(tx, []string{"bare-requests"}, id, request),
					put(tx, []string{"bare-requests-open", idText(d.GroupID)}, dayID, nil),
					put(tx, []string{"bare-requests-by-child", idText(d.ChildID)}, dayID, []byte("approved")),
					put(tx, []string{"bare-credit", idText(d.ChildID)}, dayID, entry),
					put(tx, []string{"bare-extras", d.Date.String(), idText(d.GroupID)}, idKey(d.ChildID), extra))
			},
		}
		for _, w := range writes {
			if err := db.Bolt().Update(w); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkApprovalsQueue is the queue of open requests of the group of
// location 1 with the most of them (daily). Its floor reads the queue, each
// request and child, and the keys of the list of each day in the queue.
func BenchmarkApprovalsQueue(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			db := openScale(b, benchtest.File(b, s))
			defer db.Close()
			counts, err := db.OpenRequestCounts(b.Context(), 1)
			if err != nil {
				b.Fatal(err)
			}
			var group data.ID
			for g, n := range counts {
				if n > counts[group] || (n == counts[group] && g < group) {
					group = g
				}
			}
			items, err := db.OpenRequests(b.Context(), group)
			if err != nil || len(items) == 0 {
				b.Fatalf("no open requests at location 1: %v", err)
			}
			refs := []keyRef{{path: []string{"settings"}, key: []byte("organisation")}, {path: []string{"requests-open", idText(group)}}}
			days := map[data.Date]bool{}
			for _, it := range items {
				refs = append(refs, keyRef{path: []string{"requests"}, key: idKey(it.Request.ID)}, keyRef{path: []string{"children"}, key: idKey(it.Child.ID)})
				if !days[it.Request.Date] {
					days[it.Request.Date] = true
					refs = append(refs, dayKeys(b, db, group, it.Request.Date)...)
				}
			}
			versus(b, len(items), func(int) {
				if _, err := db.OpenRequests(b.Context(), group); err != nil {
					b.Fatal(err)
				}
			}, func(int) { bareRead(b, db.Bolt(), refs) })
		})
	}
}

// BenchmarkStudyDaySheet is the sign-up sheet of the next study day of
// location 1's first school. Its floor reads the study day, its sign-ups,
// the children on the sheet, and the keys of the lists of the location's
// BSO groups that day.
func BenchmarkStudyDaySheet(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			db := openScale(b, benchtest.File(b, s))
			defer db.Close()
			days, err := db.StudyDays(b.Context(), benchtest.Today, benchtest.Today.AddDays(30))
			if err != nil {
				b.Fatal(err)
			}
			schools, err := db.Schools(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			i := slices.IndexFunc(days, func(sd data.StudyDay) bool { return sd.SchoolID == schools[0].ID })
			if i < 0 {
				b.Fatalf("no study day of %s coming", schools[0].Name)
			}
			sd := days[i]
			sheet, err := db.StudyDaySheet(b.Context(), 1, sd.SchoolID, sd.Date)
			if err != nil || sheet.SignedUp() == 0 {
				b.Fatalf("sheet of %s: %d signed up, %v", sd.Date, sheet.SignedUp(), err)
			}
			refs := []keyRef{
				{path: []string{"study-days", idText(sd.SchoolID)}, key: []byte(sd.Date.String())},
				{path: []string{"locations"}, key: idKey(1)},
				{path: []string{"schools"}, key: idKey(sd.SchoolID)},
				{path: []string{"signups-by-date", sd.Date.String()}},
			}
			for _, r := range slices.Concat(sheet.Rows, sheet.Others) {
				refs = append(refs, keyRef{path: []string{"children"}, key: idKey(r.Child.ID)})
				if r.SignUp != nil {
					refs = append(refs, keyRef{path: []string{"signups"}, key: idKey(r.SignUp.ID)})
				}
			}
			groups, err := db.Groups(b.Context(), 1)
			if err != nil {
				b.Fatal(err)
			}
			for _, g := range groups {
				if g.Care == data.BSO {
					refs = append(refs, dayKeys(b, db, g.ID, sd.Date)...)
				}
			}
			versus(b, len(sheet.Rows)+len(sheet.Others), func(int) {
				if _, err := db.StudyDaySheet(b.Context(), 1, sd.SchoolID, sd.Date); err != nil {
					b.Fatal(err)
				}
			}, func(int) { bareRead(b, db.Bolt(), refs) })
		})
	}
}

// BenchmarkVerifyFile is `check` and the verification after every daily
// backup: the page walk, every record decoded, the indexes, bbolt's check.
func BenchmarkVerifyFile(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			path := benchtest.File(b, s)
			info, _ := os.Stat(path)
			b.SetBytes(info.Size())
			for b.Loop() {
				if err := boltstore.VerifyFile(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
