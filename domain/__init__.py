"""The domain: cases, people, documents and the processes that move them. No Flask, no HTTP here."""
