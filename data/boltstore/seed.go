package boltstore

import (
	"context"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Finished clears the mark of Dataset.Unfinished: the store is whole.
func (db *DB) Finished(ctx context.Context) error {
	return db.update(ctx, data.AuditFinished, func(tx *bolt.Tx, _ *[]data.Change) error { return tx.Bucket(bucketMeta).Delete(keyUnfinished) })
}

// unfinishedError says what was stopped, when the store holds the mark of it.
func unfinishedError(tx *bolt.Tx) error {
	if what := tx.Bucket(bucketMeta).Get(keyUnfinished); what != nil {
		return fmt.Errorf("%w: %s was stopped before it finished; start again on a new data file", data.ErrIncomplete, what)
	}
	return nil
}

// IsEmpty reports whether the store holds no organisation yet: no
// location, no one who signs in, no child.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	empty := true
	err := db.view(ctx, func(tx *bolt.Tx) error {
		empty = !holdsData(tx)
		return nil
	})
	return empty, err
}

// Seed stores a whole dataset in one transaction: into an empty store only,
// all of it or (on any error) nothing.
func (db *DB) Seed(ctx context.Context, ds data.Dataset) error {
	if err := ds.Settings.Validate(); err != nil {
		return err
	}
	return db.update(ctx, data.AuditSeed, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := unfinishedError(tx); err != nil {
			return err
		}
		if k, _ := tx.Bucket(bucketLocations).Cursor().First(); k != nil {
			return data.ErrNotEmpty
		}
		if ds.Unfinished != "" {
			if err := tx.Bucket(bucketMeta).Put(keyUnfinished, []byte(ds.Unfinished)); err != nil {
				return err
			}
		}
		if err := putJSON(tx.Bucket(bucketSettings), keyOrganisation, ds.Settings); err != nil {
			return err
		}
		w := seedWriter{tx: tx}
		for _, l := range ds.Locations {
			w.put(bucketLocations, l.ID, l)
		}
		for _, g := range ds.Groups {
			w.require(bucketLocations, g.LocationID, "group %q: unknown location", g.Name)
			w.put(bucketGroups, g.ID, g)
		}
		for _, s := range ds.Schools {
			w.put(bucketSchools, s.ID, s)
		}
		for _, c := range ds.Children {
			w.require(bucketLocations, c.LocationID, "child %q: unknown location", c.Name())
			if c.SchoolID != 0 {
				w.require(bucketSchools, c.SchoolID, "child %q: unknown school", c.Name())
			}
			if len(c.Picture) > 0 && w.err == nil {
				w.err = tx.Bucket(bucketPictures).Put(idKey(c.ID), c.Picture)
			}
			if c.ID == 0 && w.err == nil {
				w.err = data.Invalid("child %q: a seeded child needs its ID", c.Name())
			}
			if w.err == nil {
				w.err = putChild(tx, c, data.Child{})
			}
		}
		for _, c := range ds.Contracts {
			if w.err == nil {
				w.err = putContract(tx, c)
			}
		}
		for _, h := range ds.Holidays {
			w.require(bucketSchools, h.SchoolID, "holiday %q: unknown school", h.Name)
			if h.ID == 0 {
				w.err = data.Invalid("holiday %q: a seeded holiday needs its ID", h.Name)
			}
			if w.err == nil {
				_, w.err = putHoliday(tx, h)
			}
		}
		for _, cd := range ds.ClosingDays {
			if w.err == nil {
				w.err = putJSON(tx.Bucket(bucketClosingDays), dateKey(cd.Date), cd)
			}
		}
		for _, r := range ds.Records {
			w.require(bucketGroups, r.GroupID, "record on %s: unknown group", r.Date)
			w.require(bucketChildren, r.ChildID, "record on %s: unknown child", r.Date)
			if w.err == nil {
				w.err = putAttendance(tx, r.Date, r.GroupID, r.ChildID, r.Attendance)
			}
		}
		for _, c := range ds.Consents {
			w.require(bucketChildren, c.ChildID, "consent of %s: unknown child", c.Given)
			if w.err == nil {
				w.err = c.Validate(data.DateOf(db.now()))
			}
			if w.err == nil {
				w.err = appendConsent(tx, c)
			}
		}
		for _, sd := range ds.StudyDays {
			if w.err == nil {
				if w.err = checkStudyDay(tx, sd); w.err == nil {
					w.err = putStudyDay(tx, sd)
				}
			}
		}
		for _, su := range ds.SignUps {
			w.require(bucketGroups, su.GroupID, "sign-up %d: unknown group", su.ID)
			w.require(bucketChildren, su.ChildID, "sign-up %d: unknown child", su.ID)
			if w.err == nil {
				if _, err := readStudyDay(tx, su.SchoolID, su.Date); err != nil {
					w.err = data.Invalid("sign-up %d: %v", su.ID, err)
				}
			}
			w.put(bucketSignUps, su.ID, su) // checks the ID
			if w.err == nil {
				w.err = putSignUp(tx, su)
			}
		}
		for _, nu := range ds.Users {
			if w.err != nil {
				break
			}
			u := nu.User
			var hash []byte
			if hash, w.err = data.HashSecret(nu.Secret); w.err == nil {
				u.SetSecretHash(nu.Secret, hash)
				w.err = putUser(tx, u)
			}
		}
		if w.err == nil {
			w.err = applyHistory(tx, ds.History, changed)
		}
		if w.err != nil {
			return w.err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog}, data.Change{Kind: data.ChangePlanning}, data.Change{Kind: data.ChangeAttendance}, data.Change{Kind: data.ChangeConsent})
		return w.syncSequences(ds)
	})
}

// seedWriter keeps the first error so Seed reads as a list of puts.
type seedWriter struct {
	tx  *bolt.Tx
	err error
}

func (w *seedWriter) put(bucket []byte, id data.ID, v any) {
	if w.err != nil {
		return
	}
	if id == 0 {
		w.err = data.Invalid("%s: ID 0 is not a valid ID", bucket)
		return
	}
	w.err = putJSON(w.tx.Bucket(bucket), idKey(id), v)
}

func (w *seedWriter) require(bucket []byte, id data.ID, format string, args ...any) {
	if w.err == nil && w.tx.Bucket(bucket).Get(idKey(id)) == nil {
		w.err = data.Invalid(format, args...)
	}
}

// syncSequences moves each bucket's sequence past the highest seeded ID, so
// later NextSequence calls never hand out an ID that is taken.
func (w *seedWriter) syncSequences(ds data.Dataset) error {
	highest := map[string]data.ID{}
	note := func(bucket []byte, id data.ID) { highest[string(bucket)] = max(highest[string(bucket)], id) }
	for _, v := range ds.Locations {
		note(bucketLocations, v.ID)
	}
	for _, v := range ds.Groups {
		note(bucketGroups, v.ID)
	}
	for _, v := range ds.Children {
		note(bucketChildren, v.ID)
	}
	for _, v := range ds.Contracts {
		note(bucketContracts, v.ID)
	}
	for _, v := range ds.Schools {
		note(bucketSchools, v.ID)
	}
	for _, v := range ds.Holidays {
		note(bucketHolidays, v.ID)
	}
	for _, v := range ds.SignUps {
		note(bucketSignUps, v.ID)
	}
	for _, v := range ds.Users {
		note(bucketUsers, v.ID)
	}
	for name, id := range highest {
		b := w.tx.Bucket([]byte(name))
		if uint64(id) > b.Sequence() {
			if err := b.SetSequence(uint64(id)); err != nil {
				return err
			}
		}
	}
	return nil
}

func putContract(tx *bolt.Tx, c data.Contract) error {
	if c.ID == 0 {
		return data.Invalid("contract without ID")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if tx.Bucket(bucketChildren).Get(idKey(c.ChildID)) == nil {
		return data.Invalid("contract %d: unknown child %d", c.ID, c.ChildID)
	}
	g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(c.GroupID))
	if err != nil {
		return data.Invalid("contract %d: unknown group %d", c.ID, c.GroupID)
	}
	if data.CareOf(c.Product) != g.Care {
		return data.Invalid("contract %d: product %s does not fit %s group %q", c.ID, c.Product, g.Care, g.Name)
	}
	// A closed group takes no contract that runs on or after its closing day.
	if !g.ClosedOn.IsZero() && (c.End.IsZero() || g.Closed(c.End)) {
		return data.Invalid("contract %d: group %q is closed since %s", c.ID, g.Name, g.ClosedOn)
	}
	return storeContract(tx, c)
}

// storeContract writes a contract and its two indexes, without putContract's
// checks: for a copy of records that were checked when they were made.
func storeContract(tx *bolt.Tx, c data.Contract) error {
	if err := putJSON(tx.Bucket(bucketContracts), idKey(c.ID), c); err != nil {
		return err
	}
	idx, err := nestedCreate(tx.Bucket(bucketContractsByGroup), idKey(c.GroupID))
	if err != nil {
		return err
	}
	if err := idx.Put(idKey(c.ID), contractSpan(c)); err != nil {
		return err
	}
	return indexContractByChild(tx, c)
}

// putHoliday stores h, numbering a new one, and returns it as stored.
func putHoliday(tx *bolt.Tx, h data.SchoolHoliday) (data.SchoolHoliday, error) {
	if h.From.IsZero() || h.To.Before(h.From) {
		return h, data.Invalid("holiday %q ends before it starts", h.Name)
	}
	b, err := nestedCreate(tx.Bucket(bucketHolidays), idKey(h.SchoolID))
	if err != nil {
		return h, err
	}
	// Holidays are numbered in the top bucket's sequence, unique over all schools.
	if h.ID == 0 {
		seq, err := tx.Bucket(bucketHolidays).NextSequence()
		if err != nil {
			return h, err
		}
		h.ID = data.ID(seq)
	} else if old := holidayKeyOf(b, h.ID); old != nil {
		// A changed holiday may end on another day, which moves its key.
		if err := b.Delete(old); err != nil {
			return h, err
		}
	}
	return h, putJSON(b, holidayKey(h), h)
}
