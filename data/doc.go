// Package data is Locatiedesk's domain: the types, the business rules as
// pure functions over the facts they need (request window, payment proposal,
// capacity, holiday deadline, study-day minimum, role checks, …), the
// refusals they give as codes with values, and the Store interface that the
// screens and the command line work through.
//
// A Store keeps a location's data. Package boltstore implements it on an
// embedded bbolt file; any other implementation (a hub's network client, a
// database server) must pass the tests of package storetest. Every
// write through a Store checks its rule and the actor's role and is logged,
// in one transaction; its changes reach subscribers in order, numbered, so a
// subscriber that fell behind catches up from the last number it saw.
package data
