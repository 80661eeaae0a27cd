"""How kg's schema names line up with schema.org, FOAF, ORG, SEM and PROV-O."""

# The tables are keyed by schema names: a name the schema does not have is unused, and a schema
# name without an entry gets no alignment. Only sub-class and sub-property links are stated
# (never equivalence), so a reasoner infers nothing the other vocabulary would not.

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV

from kg.rdf.namespaces import SDO, SEM

__all__ = [
    "ACTOR_SUPERCLASSES",
    "CLASS_ALIGNMENT",
    "PROPERTY_ALIGNMENT",
    "RELATION_ALIGNMENT",
    "STATEMENT_ALIGNMENT",
]

CLASS_ALIGNMENT: dict[str, tuple[URIRef, ...]] = {
    "Person": (SDO.Person, FOAF.Person, PROV.Person),
    "Organisation": (SDO.Organization, FOAF.Organization, ORG.Organization, PROV.Organization),
    "Country": (SDO.Country, SEM.Place),
    "Place": (SDO.Place, SEM.Place),
    "Group": (FOAF.Group,),
    "Source": (SDO.CreativeWork, PROV.Entity),
    "Incident": (SDO.Event, SEM.Event),
    "Claim": (SDO.Claim, PROV.Entity),
    "Document": (SDO.NewsArticle, FOAF.Document, PROV.Entity),
}
"""Schema type -> superclasses in other vocabularies."""

ACTOR_SUPERCLASSES: tuple[URIRef, ...] = (SEM.Actor, PROV.Agent, FOAF.Agent)
"""Superclasses of kg:Actor, the class of every type marked ``actor: true``."""

PROPERTY_ALIGNMENT: dict[str, tuple[URIRef, ...]] = {
    "description": (SDO.description, DCTERMS.description),
    "date": (DCTERMS.date,),
    "place": (SEM.hasPlace, SDO.location),
    "about": (SDO.about,),
    "content": (SDO.text,),
    "speaker": (PROV.wasAttributedTo, SDO.author),
    "outlet": (SDO.publisher,),
    "source": (PROV.wasDerivedFrom,),
    "url": (SDO.url,),
    "code": (SDO.identifier,),
    "start": (SDO.startDate,),
    "end": (SDO.endDate,),
}
"""Schema property -> super-properties."""

RELATION_ALIGNMENT: dict[str, tuple[URIRef, ...]] = {
    "member_of": (ORG.memberOf,),
    "located_in": (SDO.containedInPlace,),
    "based_in": (SDO.location,),
    "citizen_of": (SDO.nationality,),
    "family_of": (SDO.relatedTo,),
}
"""Schema relation -> super-properties of its plain predicate."""

STATEMENT_ALIGNMENT: dict[str, tuple[URIRef, ...]] = {
    "member_of": (ORG.Membership,),
    "holds_post": (ORG.Membership,),
}
"""Schema relation -> superclasses of its qualified nodes (ORG's n-ary membership)."""
