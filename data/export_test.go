package data

import bolt "go.etcd.io/bbolt"

// Bolt hands the store's bbolt handle to benchmarks that measure a bare
// bbolt transaction on the same file, alternating with the store's own.
func (db *DB) Bolt() *bolt.DB { return db.bolt }
