package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"

	"locatiedesk/data"
	"locatiedesk/data/snapshot"

	bolt "go.etcd.io/bbolt"
)

// Snapshot reads every record of the file in one read transaction: what a
// move to the organisation's database copies. A file whose filling was
// stopped (Dataset.Unfinished) is refused: it is not a whole organisation.
func (db *DB) Snapshot(ctx context.Context) (snapshot.Snapshot, error) {
	var s snapshot.Snapshot
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if err := unfinishedError(tx); err != nil {
			return err
		}
		var err error
		s, err = readSnapshot(tx)
		return err
	})
	return s, err
}

func readSnapshot(tx *bolt.Tx) (snapshot.Snapshot, error) {
	var s snapshot.Snapshot
	settings, err := readSettings(tx)
	if err != nil {
		return s, err
	}
	s.Settings = &settings
	if s.Organisation, err = readOrganisationName(tx); err != nil {
		return s, err
	}
	r := snapshotReader{tx: tx}
	s.Locations = all[data.Location](&r, bucketLocations)
	s.Groups = all[data.Group](&r, bucketGroups)
	s.Schools = all[data.School](&r, bucketSchools)
	s.Holidays = below[data.SchoolHoliday](&r, bucketHolidays, 1)
	s.StudyDays = below[data.StudyDay](&r, bucketStudyDays, 1)
	s.ClosingDays = all[data.ClosingDay](&r, bucketClosingDays)
	s.Children = all[data.Child](&r, bucketChildren)
	pictures := tx.Bucket(bucketPictures)
	for i := range s.Children {
		if p := pictures.Get(idKey(s.Children[i].ID)); p != nil {
			s.Children[i].Picture = append([]byte(nil), p...)
		}
	}
	s.Contracts = all[data.Contract](&r, bucketContracts)
	s.Extras = below[data.Extra](&r, bucketExtras, 2)
	s.Attendance = r.attendance()
	s.SignUps = all[data.SignUp](&r, bucketSignUps)
	s.Users = all[data.User](&r, bucketUsers)
	s.Consents = below[data.ConsentChange](&r, bucketConsentHistory, 1)
	s.Credit = below[data.CreditEntry](&r, bucketCredit, 1)
	s.CreditGrants = r.creditGrants()
	s.Requests = all[data.Request](&r, bucketRequests)
	s.InvoiceBatches = all[data.InvoiceBatch](&r, bucketExportBatches)
	s.InvoiceLines = below[data.InvoiceLine](&r, bucketExportLines, 1)
	s.Exported = r.exported()
	s.Devices = all[data.Device](&r, bucketDevices)
	s.PairingCodes = all[data.PairingCode](&r, bucketPairingCodes)
	s.Audit = all[data.AuditEntry](&r, bucketAudit)
	s.Sort()
	return s, r.err
}

// snapshotReader keeps the first error, so readSnapshot reads as a list.
type snapshotReader struct {
	tx  *bolt.Tx
	err error
}

// all decodes every record of a top-level bucket.
func all[T any](r *snapshotReader, bucket []byte) []T {
	return below[T](r, bucket, 0)
}

// below decodes every record depth levels of nested buckets below a
// top-level bucket, in key order.
func below[T any](r *snapshotReader, bucket []byte, depth int) []T {
	var out []T
	if r.err != nil {
		return nil
	}
	var walk func(b *bolt.Bucket, depth int, path string) error
	walk = func(b *bolt.Bucket, depth int, path string) error {
		if depth == 0 {
			recs, err := allJSON[T](b)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			out = append(out, recs...)
			return nil
		}
		return b.ForEachBucket(func(k []byte) error {
			return walk(b.Bucket(k), depth-1, path+"/"+keyText(k))
		})
	}
	if b := r.tx.Bucket(bucket); b != nil {
		r.err = walk(b, depth, string(bucket))
	}
	return out
}

// attendance reads the records of attendance/<date>/<group>/<child>, whose
// keys are part of the record.
func (r *snapshotReader) attendance() []data.DayRecord {
	var out []data.DayRecord
	if r.err != nil {
		return nil
	}
	r.err = r.tx.Bucket(bucketAttendance).ForEachBucket(func(day []byte) error {
		d, err := data.ParseDate(string(day))
		if err != nil {
			return fmt.Errorf("attendance %q: %w", day, err)
		}
		dayBucket := r.tx.Bucket(bucketAttendance).Bucket(day)
		return dayBucket.ForEachBucket(func(group []byte) error {
			return dayBucket.Bucket(group).ForEach(func(child, raw []byte) error {
				a, err := decodeAt[data.Attendance](raw, child)
				if err != nil {
					return fmt.Errorf("attendance %s/%s: %w", day, keyText(group), err)
				}
				out = append(out, data.DayRecord{Date: d, GroupID: data.ID(btoi(group)), ChildID: data.ID(btoi(child)), Attendance: a})
				return nil
			})
		})
	})
	return out
}

// creditGrants reads credit-grants/<child>/<contract><year> → the entry's
// ledger key, which ends with its ID.
func (r *snapshotReader) creditGrants() []snapshot.CreditGrant {
	var out []snapshot.CreditGrant
	if r.err != nil {
		return nil
	}
	grants := r.tx.Bucket(bucketCreditGrants)
	r.err = grants.ForEachBucket(func(child []byte) error {
		return grants.Bucket(child).ForEach(func(k, v []byte) error {
			if len(k) != 16 || len(v) < 8 {
				return fmt.Errorf("credit grant %s/%x: not a contract year and a ledger key", keyText(child), k)
			}
			out = append(out, snapshot.CreditGrant{ChildID: data.ID(btoi(child)), ContractID: data.ID(btoi(k[:8])),
				Year: int(btoi(k[8:])), EntryID: data.ID(btoi(v[len(v)-8:]))})
			return nil
		})
	})
	return out
}

// exported reads exported/<source>/<sourceID>.
func (r *snapshotReader) exported() []snapshot.Exported {
	var out []snapshot.Exported
	if r.err != nil {
		return nil
	}
	exported := r.tx.Bucket(bucketExported)
	r.err = exported.ForEachBucket(func(source []byte) error {
		return exported.Bucket(source).ForEach(func(id, raw []byte) error {
			l, err := decodeAt[data.InvoiceLine](raw, id)
			if err != nil {
				return fmt.Errorf("exported %s/%s: %w", source, keyText(id), err)
			}
			out = append(out, snapshot.Exported{Source: data.Source(source), SourceID: data.ID(btoi(id)), Line: l})
			return nil
		})
	})
	return out
}

// CreateFromSnapshot makes a new data file at path holding exactly the
// records of s, in one write transaction: all of them or (on any error) no
// file. It writes through the same helpers as the store's own writes, so the
// indexes are built as they build them, and moves every sequence past the
// highest ID of its kind, so later writes get fresh IDs. A file already at
// path is refused. Its log is s's: making the copy adds no entry.
func CreateFromSnapshot(ctx context.Context, path string, s snapshot.Snapshot) (err error) {
	if info, statErr := os.Stat(path); statErr == nil && info.Size() > 0 {
		return fmt.Errorf("%s exists already: name a new data file", path)
	}
	db, err := Open(path)
	if err != nil {
		return err
	}
	defer func() {
		if closeErr := db.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.guard(func() error {
		return db.bolt.Update(func(tx *bolt.Tx) error { return writeSnapshot(tx, s) })
	})
}

func writeSnapshot(tx *bolt.Tx, s snapshot.Snapshot) error {
	if s.Settings != nil {
		if err := putJSON(tx.Bucket(bucketSettings), keyOrganisation, *s.Settings); err != nil {
			return err
		}
	}
	if s.Organisation != "" {
		if err := putJSON(tx.Bucket(bucketSettings), keyOrganisationName, s.Organisation); err != nil {
			return err
		}
	}
	w := seedWriter{tx: tx}
	seq := sequences{}
	for _, l := range s.Locations {
		w.put(bucketLocations, l.ID, l)
		seq.note(bucketLocations, l.ID)
	}
	for _, g := range s.Groups {
		w.put(bucketGroups, g.ID, g)
		seq.note(bucketGroups, g.ID)
	}
	for _, sc := range s.Schools {
		w.put(bucketSchools, sc.ID, sc)
		seq.note(bucketSchools, sc.ID)
	}
	for _, h := range s.Holidays {
		if h.ID == 0 && w.err == nil {
			w.err = data.Invalid("holiday %q without ID", h.Name)
		}
		if w.err == nil {
			_, w.err = putHoliday(tx, h)
		}
		seq.note(bucketHolidays, h.ID)
	}
	for _, sd := range s.StudyDays {
		if w.err == nil {
			w.err = putStudyDay(tx, sd)
		}
	}
	for _, cd := range s.ClosingDays {
		if w.err == nil {
			w.err = putJSON(tx.Bucket(bucketClosingDays), dateKey(cd.Date), cd)
		}
	}
	for _, c := range s.Children {
		if c.ID == 0 && w.err == nil {
			w.err = data.Invalid("child %q without ID", c.Name())
		}
		if len(c.Picture) > 0 && w.err == nil {
			w.err = tx.Bucket(bucketPictures).Put(idKey(c.ID), c.Picture)
		}
		if w.err == nil {
			w.err = putChild(tx, c, data.Child{})
		}
		seq.note(bucketChildren, c.ID)
	}
	for _, c := range s.Contracts {
		if c.ID == 0 && w.err == nil {
			w.err = data.Invalid("contract without ID")
		}
		if w.err == nil {
			w.err = storeContract(tx, c)
		}
		seq.note(bucketContracts, c.ID)
	}
	for _, r := range s.Attendance {
		if w.err == nil {
			w.err = putAttendance(tx, r.Date, r.GroupID, r.ChildID, r.Attendance)
		}
	}
	// Sign-ups put their extras on the lists; the stored extras follow
	// them, so the lists end as they were.
	for _, su := range s.SignUps {
		w.put(bucketSignUps, su.ID, su) // checks the ID
		if w.err == nil {
			w.err = putSignUp(tx, su)
		}
		seq.note(bucketSignUps, su.ID)
	}
	for _, e := range s.Extras {
		if w.err != nil {
			break
		}
		var b *bolt.Bucket
		if b, w.err = nestedCreate(tx.Bucket(bucketExtras), dateKey(e.Date), idKey(e.GroupID)); w.err == nil {
			w.err = putJSON(b, idKey(e.ChildID), e)
		}
	}
	for _, u := range s.Users {
		if w.err == nil {
			w.err = putUser(tx, u)
		}
		seq.note(bucketUsers, u.ID)
	}
	w.err = errors.Join(w.err, writeConsents(tx, s.Consents))
	entries := map[data.ID]data.CreditEntry{}
	for _, e := range s.Credit {
		if w.err == nil {
			w.err = putCreditEntry(tx, e)
		}
		entries[e.ID] = e
		seq.note(bucketCredit, e.ID)
	}
	for _, g := range s.CreditGrants {
		if w.err != nil {
			break
		}
		e, ok := entries[g.EntryID]
		if !ok {
			w.err = data.Invalid("credit grant of contract %d: no credit entry %d", g.ContractID, g.EntryID)
			break
		}
		var b *bolt.Bucket
		if b, w.err = nestedCreate(tx.Bucket(bucketCreditGrants), idKey(g.ChildID)); w.err == nil {
			w.err = b.Put(append(idKey(g.ContractID), itob(uint64(g.Year))...), creditKey(e.ExpiresOn, e.ID))
		}
	}
	for _, r := range s.Requests {
		if r.ID == 0 && w.err == nil {
			w.err = data.Invalid("request without ID")
		}
		if w.err == nil {
			w.err = putRequest(tx, r)
		}
		seq.note(bucketRequests, r.ID)
	}
	for _, b := range s.InvoiceBatches {
		w.put(bucketExportBatches, b.ID, b)
		seq.note(bucketExportBatches, b.ID)
	}
	w.err = errors.Join(w.err, writeInvoiceLines(tx, s.InvoiceLines))
	for _, e := range s.Exported {
		if w.err == nil {
			w.err = applyExported(tx, data.ExportedChange{Source: e.Source, ID: e.SourceID, Line: &e.Line}, e.Line.Batch)
		}
	}
	for _, d := range s.Devices {
		w.put(bucketDevices, d.ID, d)
		seq.note(bucketDevices, d.ID)
	}
	for _, p := range s.PairingCodes {
		w.put(bucketPairingCodes, p.ID, p)
		seq.note(bucketPairingCodes, p.ID)
	}
	for _, e := range s.Audit {
		if w.err == nil {
			w.err = putJSON(tx.Bucket(bucketAudit), itob(e.Seq), e)
		}
		seq.note(bucketAudit, data.ID(e.Seq))
	}
	if w.err != nil {
		return w.err
	}
	return seq.set(tx)
}

// writeConsents appends each child's consent changes in their order, so
// they get their numbers 1, 2, … again and the current answer is indexed.
func writeConsents(tx *bolt.Tx, changes []data.ConsentChange) error {
	for _, c := range changes {
		want := c.Seq
		if err := appendConsent(tx, c); err != nil {
			return err
		}
		if got := nested(tx.Bucket(bucketConsentHistory), idKey(c.ChildID)).Sequence(); got != want {
			return data.Invalid("consent of child %d: change %d is not the child's %d", c.ChildID, want, got)
		}
	}
	return nil
}

// writeInvoiceLines stores each batch's lines numbered 1, 2, … in order.
func writeInvoiceLines(tx *bolt.Tx, lines []data.InvoiceLine) error {
	numbers := map[data.ID]uint64{}
	for _, l := range lines {
		b, err := nestedCreate(tx.Bucket(bucketExportLines), idKey(l.Batch))
		if err != nil {
			return err
		}
		b.FillPercent = 1 // appended in key order, never changed
		numbers[l.Batch]++
		if err := putJSON(b, itob(numbers[l.Batch]), l); err != nil {
			return err
		}
	}
	return nil
}

// sequences are the highest IDs written per bucket.
type sequences map[string]data.ID

func (s sequences) note(bucket []byte, id data.ID) { s[string(bucket)] = max(s[string(bucket)], id) }

// set moves each bucket's sequence past its highest ID.
func (s sequences) set(tx *bolt.Tx) error {
	for name, id := range s {
		b := tx.Bucket([]byte(name))
		if uint64(id) > b.Sequence() {
			if err := b.SetSequence(uint64(id)); err != nil {
				return err
			}
		}
	}
	return nil
}
