package main

import "locatiedesk/data"

// Schema 1: the dataset only.
func prepare(ds *data.Dataset) {}
func extras(db *data.DB) error { return run(db) }
