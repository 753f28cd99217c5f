package emailanalytics

// Vocabularies of the words around person names (lower-cased).

// isSalutation reports words that open a greeting line before a name.
func isSalutation(w string) bool {
	switch w {
	case "dear", "hi", "hello", "hey", "hiya", "greetings", "morning", "afternoon",
		"evening", "ciao", "hola", "bonjour", "hallo", "salut", "howdy", "thanks", "thank":
		return true
	}
	return false
}

// isTitle reports honorifics written before a surname.
func isTitle(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "mme", "mlle", "sr", "sra",
		"srta", "herr", "frau":
		return true
	}
	return false
}

// isSignOffStart reports the first word of a closing line ("Best regards,",
// "Thanks,", "Sincerely,") after which the sender's name follows.
func isSignOffStart(w string) bool {
	switch w {
	case "thanks", "thank", "thx", "ty", "tia", "regards", "rgds", "best", "kind",
		"kindest", "warm", "warmest", "warmly", "cheers", "sincerely", "yours",
		"respectfully", "cordially", "take", "many", "all", "with", "love", "merci",
		"grazie", "gracias", "saludos", "un", "danke", "cordialement", "br", "have",
		"talk", "speak", "see", "hugs", "later", "appreciated", "atentamente", "mfg":
		return true
	}
	return false
}

// isNameLabel reports form and header labels followed by a person's name
// ("Name:", "Cardholder:", "From:").
func isNameLabel(w string) bool {
	switch w {
	case "name", "fullname", "customer", "cardholder", "holder", "contact", "attn",
		"attention", "agent", "patient", "beneficiary", "recipient", "sender", "signed",
		"from", "to", "cc", "representative", "owner", "applicant", "insured", "guest",
		"passenger", "traveler", "traveller", "caller", "tenant", "spouse", "nombre",
		"nom", "signature":
		return true
	}
	return false
}

// isNameParticle reports lower-case words inside surnames ("van der Berg").
func isNameParticle(w string) bool {
	switch w {
	case "van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le",
		"bin", "binti", "ibn", "al", "el", "dos", "das", "ter", "ten", "y", "e", "st":
		return true
	}
	return false
}

// isGenerationSuffix reports suffixes that end a name ("Jr.", "III").
func isGenerationSuffix(w string) bool {
	switch w {
	case "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq":
		return true
	}
	return false
}

// isSurnameLikeStreetWord reports street suffixes that are also common
// surnames ("Sean Park", "Damon Hill"); other suffixes end a name.
func isSurnameLikeStreetWord(w string) bool {
	switch w {
	case "park", "hill", "green", "lane", "grove", "ridge", "walk", "row", "close",
		"point", "way", "cross", "brook":
		return true
	}
	return false
}
