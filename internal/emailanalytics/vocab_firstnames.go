package emailanalytics

// isFirstName reports common given names from many cultures (lower-cased).
// A few hundred names cover most senders and agents; rarer names are still
// found through cues (salutations, sign-offs, titles, display names) and by
// propagating names found that way.
func isFirstName(w string) bool {
	switch w {
	case "aaliyah", "aaron", "abby", "abdul", "abdullah", "abe", "abigail", "abraham", "adam",
		"adebayo", "adedayo", "adeola", "aditi", "aditya", "adrian", "adriana", "agnes",
		"ahmad", "ahmed", "aidan", "aiden", "aiko", "aisha", "akira", "akua", "al", "alan",
		"alana", "albert", "alberto", "alejandra", "alejandro", "aleksandr", "alex",
		"alexander", "alexandra", "alexis", "alf", "alfonso", "alfred", "ali", "alice",
		"alicia", "alina", "alison", "allison", "alvaro", "amanda", "amara", "amir", "amira",
		"amit", "amy", "ana", "anastasia", "anders", "andre", "andrea", "andreas", "andres",
		"andrew", "andrzej", "andrés", "andy", "angela", "angelica", "angelo", "anika", "anil",
		"anita", "anjali", "ann", "anna", "anne", "anne-marie", "annette", "annie", "anthony",
		"antoine", "antonio", "anya", "aoife", "arash", "arjun", "arnav", "arthur", "arturo",
		"asha", "ashley", "ashok", "astrid", "aurelia", "ava", "ayesha", "ayumi", "barb",
		"barbara", "beatrice", "beatriz", "becky", "bella", "ben", "benjamin", "bernard",
		"bert", "beth", "bethany", "betty", "beverly", "bianca", "bilal", "birgit", "bjorn",
		"björn", "blessing", "bob", "bobby", "bogdan", "boris", "brandon", "brenda", "brian",
		"bridget", "brittany", "bruno", "bryan", "caitlin", "camila", "camille", "carl",
		"carla", "carlos", "carmen", "carol", "caroline", "carolyn", "cassandra", "catherine",
		"cathy", "cecilia", "cesar", "chandra", "charles", "charlie", "charlotte", "chen",
		"chiamaka", "chidi", "chinedu", "chioma", "chloe", "chloé", "chris", "christina",
		"christine", "christopher", "chuck", "chukwuemeka", "cindy", "claire", "clara",
		"claudia", "colin", "connor", "craig", "cristina", "cynthia", "césar", "dan", "dana",
		"daniel", "daniela", "danielle", "danny", "darius", "darren", "dave", "david",
		"debbie", "deborah", "debra", "deepak", "deepika", "denise", "dennis", "derek",
		"diana", "diane", "diego", "dimitri", "dmitri", "dmitry", "dolores", "dom", "dominic",
		"donald", "donna", "doris", "dorothy", "duc", "dylan", "ebony", "ed", "eddie",
		"eduardo", "edward", "efua", "eileen", "eleanor", "elena", "elif", "elijah", "elisa",
		"elizabeth", "ella", "ellen", "elsa", "emeka", "emily", "emma", "emmanuel", "enrique",
		"eric", "erik", "erika", "ernesto", "esther", "ethan", "eva", "evelyn", "ewa",
		"fabian", "fatima", "fatma", "federico", "felipe", "felix", "fernanda", "fernando",
		"fiona", "florian", "francesca", "francesco", "francisco", "francois", "françois",
		"fred", "frederick", "freya", "gabriel", "gabriela", "gareth", "gary", "gemma",
		"george", "gerald", "gina", "giovanni", "giulia", "giuseppe", "gloria", "gordon",
		"graham", "greg", "gregory", "greta", "guillermo", "gustavo", "habib", "hadi", "hamza",
		"hana", "hannah", "hans", "harold", "harriet", "harry", "hassan", "hector", "heidi",
		"helen", "helena", "helga", "henrik", "henry", "hiroko", "hiroshi", "hoang", "hung",
		"hussein", "héctor", "ian", "ibrahim", "ifeoma", "igor", "ikechukwu", "ilse", "imani",
		"imran", "ines", "ingrid", "inés", "irene", "irina", "isaac", "isabel", "isabella",
		"isabelle", "ishaan", "ivan", "jacob", "jacqueline", "jake", "jamal", "james", "jamie",
		"jana", "jane", "janet", "janice", "jasmine", "jason", "javier", "jayden", "jean",
		"jeff", "jeffrey", "jen", "jennifer", "jenny", "jeremy", "jerome", "jesse", "jessica",
		"jesus", "jesús", "jiho", "jim", "jimmy", "jin", "jo", "joan", "joanna", "joao", "joe",
		"joel", "joey", "johan", "johann", "john", "jon", "jonathan", "jorge", "jose",
		"joseph", "josh", "joshua", "josé", "joyce", "joão", "juan", "judith", "judy", "julia",
		"julian", "juliana", "julie", "julio", "justin", "kai", "kamal", "karen", "karim",
		"karin", "kat", "katarzyna", "kate", "katherine", "kathleen", "kathryn", "kathy",
		"katie", "kavya", "kayla", "keisha", "keith", "kelly", "ken", "kenji", "kenneth",
		"kevin", "khalid", "kim", "kimberly", "kirsten", "klaus", "kofi", "kojo", "krishna",
		"kristen", "kumar", "kwabena", "kwame", "kwasi", "kyle", "kyoko", "lakshmi", "lan",
		"lara", "larry", "lars", "laura", "lauren", "laurent", "layla", "leah", "lee", "leila",
		"lena", "leo", "leon", "leonardo", "leticia", "liam", "lin", "linda", "lisa", "liz",
		"lorenzo", "lorraine", "louis", "louise", "luca", "lucas", "lucia", "lucía", "luis",
		"luisa", "lukas", "luke", "lydia", "madeline", "magdalena", "maggie", "maia", "malik",
		"manuel", "marcela", "marco", "marcos", "marcus", "margaret", "margarita",
		"marguerite", "maria", "mariam", "marie", "marina", "mario", "marisol", "marissa",
		"marta", "martha", "martin", "mary", "maryam", "maría", "masato", "mateo", "matteo",
		"matthew", "maureen", "maya", "meg", "megan", "mehmet", "mei", "melanie", "melissa",
		"mia", "michael", "michelle", "miguel", "mike", "mikhail", "milan", "ming", "miriam",
		"mohamed", "mohammad", "mohammed", "monica", "monique", "muhammad", "mustafa",
		"mónica", "nadia", "nadine", "nancy", "naomi", "nat", "natalia", "natalie", "natasha",
		"nate", "nathan", "neha", "nicholas", "nicola", "nicole", "nikhil", "nikita", "nina",
		"noah", "noor", "nora", "norma", "nuno", "olga", "oliver", "olivia", "omar", "oscar",
		"owen", "pablo", "pamela", "paola", "patricia", "patrick", "paul", "paula", "pavel",
		"pedro", "pete", "peter", "phil", "philip", "philippe", "pierre", "pietro", "pooja",
		"priya", "priyanka", "qiang", "quentin", "rachel", "rafael", "rahul", "raj", "rajesh",
		"ramon", "ramón", "rania", "raquel", "ravi", "rebecca", "renata", "rene", "rené",
		"renée", "ricardo", "richard", "rick", "rita", "robert", "roberto", "robin", "rohan",
		"roman", "ron", "ronald", "rosalind", "rosie", "ruth", "ryan", "ryo", "sabrina",
		"sadia", "sakura", "sally", "salma", "salvatore", "sam", "samantha", "samir", "samuel",
		"sandeep", "sandra", "sanjay", "sara", "sarah", "sasha", "satoshi", "scott", "sean",
		"sebastian", "seo", "sergei", "sergio", "shanice", "sharon", "shauna", "sheila",
		"shirley", "shreya", "siddharth", "simon", "simone", "siobhan", "sofia", "sofía",
		"sonia", "sophia", "sophie", "stefan", "stefano", "stephanie", "stephen", "steve",
		"steven", "sunil", "susan", "suzanne", "sven", "svetlana", "takashi", "tamara",
		"tanya", "tara", "ted", "teresa", "thabo", "theo", "theresa", "thi", "thomas",
		"tiffany", "tim", "timothy", "tina", "tobias", "tom", "tomas", "tomasz", "tommy",
		"tomás", "tony", "tracy", "tuan", "uchenna", "ursula", "valentina", "valeria",
		"vanessa", "vera", "veronica", "verónica", "vicky", "victor", "vikram", "viktor",
		"vince", "vincent", "vivian", "vladimir", "walter", "wanda", "wei", "wendy", "william",
		"xavier", "xin", "xiu", "yan", "yasmin", "yaw", "yeon", "yi", "ying", "yolanda",
		"yoshiko", "yuki", "yuna", "yusuf", "yuto", "yvonne", "zainab", "zara", "zeynep",
		"zhen", "zoe", "zoé", "zoë", "zsofia", "álvaro", "óscar":
		return true
	}
	return isAmbiguousName(w)
}

// isAmbiguousName reports given names that are also words, months, places or
// brands ("May", "Bill", "Grace", "Jordan"). Without a cue they count only
// when a surname follows.
func isAmbiguousName(w string) bool {
	switch w {
	case "alexa", "amber", "angel", "april", "art", "august", "aurora", "austin", "autumn",
		"baker", "bill", "brook", "brooklyn", "buck", "bud", "carolina", "carter", "chase",
		"chelsea", "china", "chip", "christian", "clay", "cleveland", "cliff", "cooper",
		"crystal", "daisy", "dakota", "dale", "dallas", "dash", "dawn", "dean", "denver",
		"destiny", "don", "drew", "duke", "earl", "eugene", "faith", "florence", "ford",
		"frank", "gene", "georgia", "ginger", "glen", "grace", "gray", "grey", "guy", "harley",
		"harmony", "hazel", "heather", "holly", "honey", "hope", "houston", "hunter", "india",
		"iris", "israel", "ivy", "jack", "jackson", "jade", "jan", "jordan", "joy", "jun",
		"june", "kenya", "king", "lane", "lily", "lincoln", "long", "madison", "major", "mark",
		"marshall", "mason", "max", "may", "mercedes", "miles", "min", "misty", "morgan",
		"nick", "norm", "olive", "orlando", "page", "paris", "parker", "pat", "pearl", "penny",
		"phoenix", "prince", "rain", "ray", "reese", "rich", "river", "rob", "rosa", "rose",
		"ruby", "rusty", "sage", "sandy", "savannah", "siri", "sky", "sol", "star", "sterling",
		"storm", "sue", "summer", "sunny", "sydney", "taylor", "tennessee", "tucker", "van",
		"victoria", "violet", "virginia", "wade", "will", "young":
		return true
	}
	return false
}
