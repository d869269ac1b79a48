// Package boltstore is the data.Store of one location on an embedded bbolt
// file: the default for a location, and what its hub serves.
//
// Each write is one transaction: it reads the facts its rule needs, calls the
// rule of package data, writes, and appends its audit entry; the entry's
// sequence number is the number of the write's changes in the change feed.
// All bucket names and key helpers are in buckets.go; migrations in
// migrate.go, each with an upgrade test from a saved file of the older schema.
//
// The store is one bbolt file. Every write is one transaction that checks its
// rules first, so no half state is ever stored. Keys are 8-byte big-endian IDs
// (from the bucket's NextSequence) or YYYY-MM-DD dates, both of which sort as bytes.
// Values are JSON. The bucket tree:
//
//	meta
//	    version                     schema version, uint64 big-endian
//	    compact-pending             day of a purge whose removed data may still sit in free pages (retention.go)
//	settings
//	    organisation                Settings
//	    name                        the organisation's name (SetUp, RenameOrganisation)
//	locations      <id>             Location (closed ones stay, with ClosedOn)
//	groups         <id>             Group, with opening hours (closed ones stay, with ClosedOn)
//	children       <id>             Child (without picture)
//	pictures       <childID>        PNG/JPEG bytes
//	contracts      <id>             Contract
//	contracts-by-group
//	    <groupID>
//	        <contractID>            "start/end" dates (index: running contracts without decoding ended ones)
//	schools        <id>             School
//	holidays
//	    <schoolID>
//	        <YYYY-MM-DD><holidayID> SchoolHoliday, keyed by its last day (a day seeks past old ones)
//	closing-days   <YYYY-MM-DD>     ClosingDay
//	extras
//	    <YYYY-MM-DD>
//	        <groupID>
//	            <childID>           Extra (approved requests, study-day sign-ups)
//	attendance
//	    <YYYY-MM-DD>
//	        <groupID>
//	            <childID>           Attendance
//	study-days
//	    <schoolID>
//	        <YYYY-MM-DD>            StudyDay, with the planner's decision per location below the minimum (S2)
//	signups        <id>             SignUp (kept when cancelled, for invoicing)
//	signups-by-date
//	    <YYYY-MM-DD>
//	        <signupID>              "" (index: a day's sign-ups without reading all)
//	users          <id>             User (bcrypt hashes of PIN and password, failed attempts, lock-out; deactivated, never deleted)
//	audit          <seq>            AuditEntry, append-only
//	consent-history
//	    <childID>
//	        <seq>                   ConsentChange (append-only: a withdrawal is a new change)
//	consent-current <childID>       "given/level" of the answer that counts (index for the list)
//	contracts-by-child
//	    <childID>
//	        <contractID>            "start/end" dates (index: one child's contracts, for its flexible credit)
//	credit
//	    <childID>
//	        <expiresOn><entryID>    CreditEntry (expiry first: a ledger reads oldest first and skips the expired)
//	credit-grants
//	    <childID>
//	        <contractID><period>    key of the CreditEntry a contract year's flexible credit became
//	requests       <id>             Request
//	requests-open
//	    <groupID>
//	        <YYYY-MM-DD><requestID> (empty: the approval queue, without reading decided requests)
//	requests-by-child
//	    <childID>
//	        <YYYY-MM-DD><requestID> RequestStatus (duplicate check and the child's card)
//	attendance-by-child
//	    <childID>
//	        <YYYY-MM-DD><groupID>   "" (index: one child's records for the AVG export and purge, without reading every date)
//	export-batches <id>             InvoiceBatch: period, location, when, by whom, counts (F1)
//	export-lines
//	    <batchID>
//	        <seq>                   InvoiceLine, in the file's order (a batch's file is made again from these)
//	exported
//	    <source>                    "request" or "study-day"
//	        <sourceID>              InvoiceLine last billed for the source (gone when corrected to nothing)
//	children-by-location
//	    <locationID>
//	        <childID>               "" (index: a location's children without reading the others)
//	children-by-number <number>     childID (index: the planning system's child number, unique; re-imports match lines by it)
//	devices        <id>             Device paired with the hub: name, when and by whom, last seen, revoked (never deleted: the log names it); the credential's hash
//	pairing-codes  <id>             PairingCode: a one-time code, valid ten minutes, marked used when a device pairs with it
//	write-keys     <key>            seq of the audit entry of the write the device's key named (a retry with it writes nothing; writekeys.go)
//	write-keys-by-seq <seq>         <unix seconds><key> (index: the oldest keys first, forgotten after data.WriteKeyKept)
//
// A day's list reads only that date's buckets and the group's running
// contracts, so it does not grow with years of history.
package boltstore
