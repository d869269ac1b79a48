package boltstore

import (
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// indexChildByLocation keeps children-by-location in step with a child written.
func indexChildByLocation(tx *bolt.Tx, c data.Child) error {
	idx, err := nestedCreate(tx.Bucket(bucketChildrenByLocation), idKey(c.LocationID))
	if err != nil {
		return err
	}
	return idx.Put(idKey(c.ID), []byte{})
}

// locationChildren reads the children of a location through the index, by ID.
func locationChildren(tx *bolt.Tx, locationID data.ID) ([]data.Child, error) {
	var out []data.Child
	idx := nested(tx.Bucket(bucketChildrenByLocation), idKey(locationID))
	if idx == nil {
		return out, nil
	}
	children := tx.Bucket(bucketChildren)
	err := idx.ForEach(func(k, _ []byte) error {
		c, err := getJSON[data.Child](children, k) // without picture, as lists go
		if err != nil {
			return fmt.Errorf("child %d: %w", btoi(k), err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// migrateChildrenByLocation adds the index and fills it with the children stored so far.
func migrateChildrenByLocation(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketChildrenByLocation); err != nil {
		return err
	}
	children, err := allJSON[data.Child](tx.Bucket(bucketChildren))
	if err != nil {
		return err
	}
	for _, c := range children {
		if err := indexChildByLocation(tx, c); err != nil {
			return err
		}
	}
	return nil
}
