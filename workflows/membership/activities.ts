/** The activities the membership workflow uses: `data` writes its changes, `messaging` sends its messages. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

export type MembershipActivities = Pick<Activities, 'recordMembershipChange' | 'sendMembershipMessage'>;

export const data = proxyActivities<Pick<MembershipActivities, 'recordMembershipChange'>>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const messaging = proxyActivities<Pick<MembershipActivities, 'sendMembershipMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
