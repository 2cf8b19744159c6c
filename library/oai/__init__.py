"""The OAI-PMH 2.0 provider at /oai/, written from the catalogue itself with lxml.

`protocol` checks a request's arguments and answers errors as the protocol names them,
`repository` reads records, deleted records and sets (public records only, through
library.visibility), `tokens` signs resumption tokens, and `views` writes the XML.
"""
