package emailanalytics

// Vocabularies for street addresses, as switch statements: the compiler
// turns them into binary searches and they cannot be modified at run time.

// isStreetSuffix reports USPS street suffixes and their common UK
// counterparts (lower-cased).
func isStreetSuffix(w string) bool {
	switch w {
	case "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd",
		"lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl", "terrace",
		"ter", "terr", "parkway", "pkwy", "circle", "cir", "highway", "hwy", "square",
		"sq", "trail", "trl", "loop", "plaza", "plz", "crescent", "cres", "close",
		"row", "alley", "aly", "path", "pike", "crossing", "xing", "grove", "gardens",
		"gdns", "mews", "walk", "hill", "commons", "point", "pt", "landing", "ridge",
		"expressway", "expy", "freeway", "fwy", "green", "park", "turnpike", "tpke",
		"causeway", "cswy", "wharf", "quay", "parade", "esplanade", "embankment",
		"strasse", "straße", "str", "via", "calle", "rue", "avenida":
		return true
	}
	return false
}

// isDirectional reports compass prefixes and suffixes of street names.
func isDirectional(w string) bool {
	switch w {
	case "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
		"northeast", "northwest", "southeast", "southwest":
		return true
	}
	return false
}

// isUnitWord reports words that introduce an apartment, suite or floor.
func isUnitWord(w string) bool {
	switch w {
	case "apt", "apartment", "suite", "ste", "unit", "fl", "floor", "rm", "room",
		"bldg", "building", "flat", "dept", "lot", "space", "spc", "trlr":
		return true
	}
	return false
}

// isUSState reports US state, territory and Canadian province codes.
func isUSState(w string) bool {
	switch w {
	case "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL",
		"IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
		"NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
		"SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR",
		"GU", "VI", "AS", "MP",
		"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT":
		return true
	}
	return false
}
