# tradeproof GraphQL API. Runs TypeScript through tsx (a runtime dependency), so there is no build
# step: the image holds the production dependencies and the sources.
FROM node:20-bookworm-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY services ./services
COPY schema ./schema
COPY graphql ./graphql
COPY scripts ./scripts

# Sources stay root-owned (read-only to the app); only the data folder is writable by `node`.
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000

USER node

EXPOSE 4000

CMD ["npm", "start"]
