package boltstore

import (
	"context"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// PlanChildImport is the preview of an import: per child what will be
// created, changed and ended, and every problem of the file. It writes nothing.
func (db *DB) PlanChildImport(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	var plan data.ChildImportPlan
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		plan, err = db.planChildImport(tx, ci)
		return err
	})
	return plan, err
}

// ImportChildren imports a children file in one transaction, all of it or
// nothing: with any problem it returns the plan and an *ImportError. A file
// that changes nothing (imported before) writes nothing at all.
func (db *DB) ImportChildren(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	plan, err := db.PlanChildImport(ctx, ci)
	if err == nil {
		err = plan.Checked()
	}
	if err != nil || !plan.HasChanges() {
		return plan, err
	}
	err = db.update(ctx, data.AuditImportChildren, func(tx *bolt.Tx, changed *[]data.Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(tx, ci); err != nil {
			return err
		}
		if err := plan.Checked(); err != nil {
			return err
		}
		if err := data.ApplyChildImport(plan, childImportWriter{tx}); err != nil {
			return err
		}
		*changed = append(*changed, data.ChildImportChanges(ci.Name, plan)...)
		return nil
	})
	return plan, err
}

// planChildImport plans an import against the store as tx sees it.
func (db *DB) planChildImport(tx *bolt.Tx, ci data.ChildImport) (data.ChildImportPlan, error) {
	locations, err := allJSON[data.Location](tx.Bucket(bucketLocations))
	if err != nil {
		return data.ChildImportPlan{}, err
	}
	groups, err := allJSON[data.Group](tx.Bucket(bucketGroups))
	if err != nil {
		return data.ChildImportPlan{}, err
	}
	schools, err := allJSON[data.School](tx.Bucket(bucketSchools))
	if err != nil {
		return data.ChildImportPlan{}, err
	}
	cat := data.NewChildImportCatalog(locations, groups, schools)
	return data.PlanChildImport(ci, cat, importSource{db: db, tx: tx}, data.DateOf(db.now()))
}

// importSource is what planning an import reads from the store.
type importSource struct {
	db *DB
	tx *bolt.Tx
}

func (s importSource) StoredChild(number string) (data.Child, bool, error) {
	id := s.tx.Bucket(bucketChildrenByNumber).Get([]byte(number))
	if id == nil {
		return data.Child{}, false, nil
	}
	c, err := getJSON[data.Child](s.tx.Bucket(bucketChildren), id)
	if err != nil {
		return c, false, fmt.Errorf("child %d: %w", btoi(id), err)
	}
	return c, true, nil
}

func (s importSource) StoredContracts(childID data.ID) ([]data.Contract, error) {
	return childContracts(s.tx, childID, data.Date{}, data.MaxDate)
}

func (s importSource) MayChangeContracts(locationID, groupID data.ID) error {
	return s.db.allow(s.tx, data.ActContracts, locationID, groupID)
}

// childImportWriter writes a children file's plan in tx.
type childImportWriter struct{ tx *bolt.Tx }

func (w childImportWriter) AddSchool(name string) (data.ID, error) {
	seq, err := w.tx.Bucket(bucketSchools).NextSequence()
	if err != nil {
		return 0, err
	}
	return data.ID(seq), putJSON(w.tx.Bucket(bucketSchools), idKey(data.ID(seq)), data.School{ID: data.ID(seq), Name: name})
}

func (w childImportWriter) PutChild(c, stored data.Child) (data.ID, error) {
	if c.ID == 0 {
		seq, err := w.tx.Bucket(bucketChildren).NextSequence()
		if err != nil {
			return 0, err
		}
		c.ID = data.ID(seq)
	}
	return c.ID, putChild(w.tx, c, stored)
}

func (w childImportWriter) AddContract(c data.Contract) (data.ID, error) {
	id, err := nextContractID(w.tx)
	if err != nil {
		return 0, err
	}
	c.ID = id
	return id, putContract(w.tx, c)
}

func (w childImportWriter) ChangeContract(old, next data.Contract) error {
	return replaceContract(w.tx, old, next)
}
