package boltstore

import (
	"context"
	"errors"
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
	if err != nil {
		return plan, err
	}
	if len(plan.Problems) > 0 {
		return plan, &data.ImportError{Lines: plan.Problems}
	}
	if !plan.HasChanges() {
		return plan, nil
	}
	err = db.update(ctx, data.AuditImportChildren, func(tx *bolt.Tx, changed *[]data.Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(tx, ci); err != nil {
			return err
		}
		if len(plan.Problems) > 0 {
			return &data.ImportError{Lines: plan.Problems}
		}
		if err := applyChildImport(tx, plan); err != nil {
			return err
		}
		n := plan.Counts()
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf(
			"import %s: %d children added, %d changed; %d contracts added, %d changed, %d ended",
			ci.Name, n.ChildrenCreated, n.ChildrenChanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)},
			data.Change{Kind: data.ChangePlanning}, data.Change{Kind: data.ChangeConsent})
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

// applyChildImport writes a plan without problems.
func applyChildImport(tx *bolt.Tx, plan data.ChildImportPlan) error {
	schoolIDs := map[string]data.ID{}
	for _, name := range plan.NewSchools {
		seq, err := tx.Bucket(bucketSchools).NextSequence()
		if err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketSchools), idKey(data.ID(seq)), data.School{ID: data.ID(seq), Name: name}); err != nil {
			return err
		}
		schoolIDs[data.ImportNameKey(name)] = data.ID(seq)
	}
	for _, cp := range plan.Children {
		c := cp.Child
		if cp.NewSchool != "" {
			c.SchoolID = schoolIDs[data.ImportNameKey(cp.NewSchool)]
		}
		switch cp.Action {
		case data.ImportCreate:
			seq, err := tx.Bucket(bucketChildren).NextSequence()
			if err != nil {
				return err
			}
			c.ID = data.ID(seq)
			fallthrough
		case data.ImportChange:
			if err := putChild(tx, c, cp.Stored); err != nil {
				return fmt.Errorf("line %d: %w", cp.Line, err)
			}
		}
		made := make([]data.ID, len(cp.Contracts)) // the IDs the plans' new contracts get
		for j, k := range cp.Contracts {
			next := k.New
			next.ChildID = c.ID
			if k.ContinuesPlan > 0 {
				next.Continues = made[k.ContinuesPlan-1]
			}
			var err error
			switch k.Action {
			case data.ImportCreate:
				if next.ID, err = nextContractID(tx); err == nil {
					err = putContract(tx, next)
				}
			case data.ImportChange, data.ImportEnd:
				err = replaceContract(tx, k.Old, next)
			case data.ImportVersion:
				ended := k.Old
				ended.End = next.Start.AddDays(-1)
				if err = putContract(tx, ended); err == nil {
					if next.ID, err = nextContractID(tx); err == nil {
						err = putContract(tx, next)
					}
				}
			default:
				err = errors.New("unknown import action " + string(k.Action))
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", k.Line, err)
			}
			made[j] = next.ID
		}
	}
	return nil
}
